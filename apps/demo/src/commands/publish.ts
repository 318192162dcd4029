import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { publishToDueslag, rewriteBeskedId } from '@cprh/simulator';
import { ensureBfVhost } from '@cprh/simulator';
import type { Command } from '@cprh/cli';
import { UsageError } from '@cprh/cli';
import { demoUsesStsFront, withVhostBf } from '../demo-kombit-wiring';

const USAGE = 'usage: cprh publish FILE... [--count N] [--queue DUESLAG]';

/**
 * `cprh publish FILE... [--count N] [--queue DUESLAG]`: puts messages on the local RabbitMQ
 * dueslag (persistent, a fresh messageId each). Without --count each file is sent once as it is;
 * with --count N each file is sent N times, every copy with a fresh BeskedId UUID.
 */
export const publish: Command = async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { count: { type: 'string' }, queue: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const files = parsed.positionals;
  if (files.length === 0) throw new UsageError(`no FILE given\n${USAGE}`);
  const countText = parsed.values.count;
  const count = countText === undefined ? undefined : Number(countText);
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    throw new UsageError(`--count must be a positive integer, got "${countText}"`);
  }
  const config = loadWorkbenchConfig(['amqp', 'poller', 'simulator']);
  const queue = parsed.values.queue ?? config.poller.dueslagQueue;

  const texts = files.map((f) => {
    try {
      return { file: f, xml: readFileSync(f, 'utf8') };
    } catch (err) {
      throw new UsageError(
        `cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  });
  // Fail before publishing anything if a file's BeskedId cannot be rewritten.
  if (count !== undefined) for (const t of texts) rewriteBeskedIdOf(t.file, t.xml);

  function* bodies(): Generator<Buffer> {
    for (const t of texts) {
      if (count === undefined) yield Buffer.from(t.xml, 'utf8');
      else for (let i = 0; i < count; i++) yield Buffer.from(rewriteBeskedIdOf(t.file, t.xml), 'utf8');
    }
  }
  // The demo's dueslag lives in vhost BF behind the simulator's AMQP front (see `cprh start`);
  // made ready here too, so a publish before the first `pnpm start` does not fail on a missing vhost.
  const viaBf = demoUsesStsFront(config);
  if (viaBf) await ensureBfVhost(config.amqp.url);
  const url = viaBf ? withVhostBf(config.amqp.url) : config.amqp.url;
  const n = await publishToDueslag(bodies(), { url, queue, declareQueue: true });
  process.stdout.write(`published ${n} message${n === 1 ? '' : 's'} to ${queue}\n`);
  return 0;
};

function rewriteBeskedIdOf(file: string, xml: string): string {
  try {
    return rewriteBeskedId(xml, randomUUID());
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message} (needed for --count)`);
  }
}
