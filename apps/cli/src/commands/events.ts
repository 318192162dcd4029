import { parseArgs } from 'node:util';
import { createRedis, redisUnreachable } from '@cprh/pipeline';
import type { Command } from '../command';
import { UsageError } from '../command';
import { jsonLine, textLine } from '../events/event-line';
import { partitionStreamsOf, tailStreams } from '../events/stream-tail';
import { tenantConfig } from '../tenant-scope';

const USAGE = 'usage: cprh events tail [--from-start] [--exit-at-end] [--json] [--show-cpr] [--stream NAME]';

/**
 * `cprh events tail`: prints the events of a stream (EVENTS_STREAM unless --stream) in stream
 * order, from now on or `--from-start`; `--exit-at-end` stops after the last entry that existed at
 * the start. CPR numbers are masked unless `--show-cpr`. Works on a single Redis and on a cluster;
 * with PARTITIONS > 1 it reads every partition of the stream, in order within each.
 */
export const events: Command = async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'from-start': { type: 'boolean' },
        'exit-at-end': { type: 'boolean' },
        json: { type: 'boolean' },
        'show-cpr': { type: 'boolean' },
        stream: { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'tail') throw new UsageError(USAGE);
  const v = parsed.values;
  if (v.stream !== undefined && v.stream.trim() === '')
    throw new UsageError(`--stream needs a name\n${USAGE}`);

  const config = tenantConfig(['redis', 'pipeline']);
  const stream =
    v.stream === undefined ? config.pipeline.eventsStream : tenantStreamOf(config.pipeline, v.stream);
  const showCpr = v['show-cpr'] === true;
  // No offline queue: a Redis that is not there is one line at once, not a hang.
  const redis = createRedis(config.redis, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: 'cprh-events-tail',
    disconnectTimeout: 0,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw redisUnreachable(config.redis, err);
  }

  const stop = new AbortController();
  const onSignal = (): void => {
    stop.abort();
    redis.disconnect();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // `| head` closes stdout: stop quietly.
  process.stdout.on('error', onSignal);
  try {
    // Every partition of the stream (PARTITIONS > 1), found by name: no setting needed.
    const streams = await partitionStreamsOf(redis, stream);
    for await (const page of tailStreams(redis, streams, {
      fromStart: v['from-start'] === true,
      exitAtEnd: v['exit-at-end'] === true,
      blockMs: 5000,
      signal: stop.signal,
      // On stderr, so stdout holds events only (`> file`, `| jq`).
      onFollowing: () => process.stderr.write(`cprh events tail: following ${stream}; Ctrl-C stops\n`),
    })) {
      const text = page.map((e) => (v.json ? jsonLine(e, showCpr) : textLine(e, showCpr))).join('\n');
      if (!process.stdout.write(text + '\n')) {
        await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
      }
      if (stop.signal.aborted) break;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    redis.disconnect();
  }
};

/**
 * `--stream NAME` of a tenant (`--tenant aarhus --stream cpr:events:foedsel`): the name as the
 * tenant's route has it, `cpr:events:foedsel:{cprh:aarhus}` (the pipeline's rule, tenantNames in
 * @cprh/config), unless it carries the tenant's tag already. Without a tenant: the name as given.
 */
function tenantStreamOf(pipeline: { tenant: string | undefined; queuePrefix: string }, name: string): string {
  if (pipeline.tenant === undefined || name.endsWith(`:${pipeline.queuePrefix}`)) return name;
  return `${name.replace(/[{}]/g, '')}:${pipeline.queuePrefix}`;
}
