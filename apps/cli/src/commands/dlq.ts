import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { peekBeskedId } from '@cprh/besked';
import {
  createAuditLog,
  PartitionedDeadLetters,
  inboxBytes,
  localIsoTime,
  withLocalTimes,
  osUser,
  type DeadLetterData,
  type DeadLetterWithMove,
} from '@cprh/pipeline';
import type { Job } from 'bullmq';
import type { Command } from '../command';
import { UsageError } from '../command';
import { parseDuration } from '../duration';
import { connectRedis } from '../redis-connect';
import { auditTenant, tenantConfig } from '../tenant-scope';

const USAGE = 'usage: cprh dlq list | show ID [--raw] | replay ID|--all | purge [--older-than DURATION]';

/**
 * `cprh dlq`: inspect and replay dead letters. `replay` re-enqueues the raw message into the inbox
 * under a new job id (see DeadLetters.replay), so it goes through the worker's exactly-once
 * dispatch with the worker's current settings: an event already in the stream is not written twice.
 */
export const dlq: Command = async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { all: { type: 'boolean' }, raw: { type: 'boolean' }, 'older-than': { type: 'string' } },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const [sub, id, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(USAGE);
  const { all, raw } = parsed.values;
  const olderThanText = parsed.values['older-than'];
  const olderThan = olderThanText === undefined ? undefined : parseDuration(olderThanText);
  if (olderThanText !== undefined && (sub !== 'purge' || olderThan === undefined)) {
    throw new UsageError(`--older-than takes a duration (30d, 12h, 90m, 45s) and goes with purge\n${USAGE}`);
  }
  switch (sub) {
    case 'list':
    case 'purge':
      if (id !== undefined || all || raw) throw new UsageError(USAGE);
      break;
    case 'show':
      if (id === undefined || all) throw new UsageError(`show needs an ID\n${USAGE}`);
      break;
    case 'replay':
      if ((id === undefined) === !all || raw) throw new UsageError(`replay needs an ID or --all\n${USAGE}`);
      break;
    default:
      throw new UsageError(USAGE);
  }

  const config = tenantConfig(['redis', 'pipeline', 'log']);
  const redis = await connectRedis(config.redis, 'cprh-dlq');
  // Every partition's dead letters (one dead queue with PARTITIONS=1).
  const dl = new PartitionedDeadLetters(redis, config.pipeline);
  const out = (s: string): boolean => process.stdout.write(s + '\n');
  try {
    if (sub === 'list') {
      const jobs = await dl.list();
      if (jobs.length === 0) out('no dead letters');
      for (const j of jobs) out(summary(j));
    } else if (sub === 'show' && id !== undefined) {
      const j = await dl.get(id);
      const bytes = inboxBytes(j.data) ?? Buffer.alloc(0);
      // The message holds CPR numbers: only on request, and then exactly the bytes that came in
      // (`> message.xml` gives back what KOMBIT sent), nothing else on stdout. Audited.
      if (raw) {
        createAuditLog(config.log.auditFile).record({
          who: osUser(config.log.sudoUser),
          action: 'dlq.show.raw',
          ...auditTenant(),
          beskedIds: [peekBeskedId(bytes) ?? id],
          deadLetter: id,
        });
        await writeStdout(bytes);
      } else out(JSON.stringify(describe(j, bytes), null, 2));
    } else if (sub === 'replay') {
      const ids = all ? await dl.replayAll() : [await dl.replay(id ?? '')];
      for (const newId of ids) out(`replayed as inbox job ${newId}`);
      out(`replayed ${ids.length} dead letter${ids.length === 1 ? '' : 's'}`);
    } else if (sub === 'purge' && olderThan !== undefined) {
      const ids = await dl.purgeRecordedBefore(Date.now() - olderThan * 1000);
      for (const purged of ids) out(`purged ${purged}`);
      out(`purged ${ids.length} dead letter${ids.length === 1 ? '' : 's'} older than ${olderThanText ?? ''}`);
    } else if (sub === 'purge') {
      const n = await dl.purge();
      out(`purged ${n} dead letter${n === 1 ? '' : 's'}`);
    }
    return 0;
  } finally {
    await dl.close();
    redis.disconnect();
  }
};

/** A dead letter without its bytes: their size and SHA-256 instead (compare with what was sent). */
function describe(j: Job<DeadLetterData>, bytes: Buffer): Record<string, unknown> {
  const meta: Record<string, unknown> = { ...j.data };
  delete meta.body;
  delete meta.raw; // a dead letter from before the byte-exact format
  // Times as an operator reads them: ISO 8601, local time with offset.
  return {
    id: j.id,
    ...(withLocalTimes(meta) as Record<string, unknown>),
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

function writeStdout(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    process.stdout.write(bytes, (err) => (err ? reject(err) : resolve())),
  );
}

function summary(j: Job<DeadLetterData>): string {
  const d = j.data as DeadLetterWithMove;
  const when = localIsoTime(d.lastFailedAt);
  // With KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: where its move to KOMBIT's error queue stands.
  const move = d.fejlkoe === undefined ? '' : `  fejlkoe=${d.fejlkoe.state}`;
  return `${j.id}  ${d.code}  attempts=${d.attempts}  last=${when}${move}  ${d.message}`;
}
