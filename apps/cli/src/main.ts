import { oneLine } from '@cprh/errors';
import type { Command } from './command';
import { UsageError } from './command';

// Commands load lazily (require, not import(): the tsx bin hooks CJS only) so `cprh inspect`
// does not pay for BullMQ or amqplib start-up.
/* eslint-disable @typescript-eslint/no-require-imports */
const commands: Record<string, { summary: string; load: () => Command }> = {
  inspect: {
    summary:
      'inspect FILE|- | --dead ID | --job ID [--show-cpr]   print the CloudEvent of a file or a stored message (masked unless --show-cpr, audited)',
    load: () => (require('./commands/inspect') as typeof import('./commands/inspect.js')).inspect,
  },
  publish: {
    summary: 'publish FILE... [--count N] [--queue DUESLAG]   put messages on the local RabbitMQ queue',
    load: () => (require('./commands/publish') as typeof import('./commands/publish.js')).publish,
  },
  dlq: {
    summary:
      'dlq list|show ID [--raw]|replay ID|--all|purge [--older-than 30d]   inspect, replay, purge dead letters',
    load: () => (require('./commands/dlq') as typeof import('./commands/dlq.js')).dlq,
  },
  events: {
    summary:
      'events tail [--from-start] [--exit-at-end] [--json] [--show-cpr] [--stream NAME]   print the events of a stream',
    load: () => (require('./commands/events') as typeof import('./commands/events.js')).events,
  },
  retention: {
    summary:
      'retention [--json]    every key family: what it holds, CPR or not, lifetime; counts, sizes, oldest',
    load: () => (require('./commands/retention') as typeof import('./commands/retention.js')).retention,
  },
  erase: {
    summary:
      "erase --cpr-file FILE [--dry-run]   remove a person's messages from streams, dead letters, inbox",
    load: () => (require('./commands/erase') as typeof import('./commands/erase.js')).erase,
  },
  start: {
    summary: 'start                 run the service locally (poller, worker, ops, simulator)',
    load: () => (require('./commands/start') as typeof import('./commands/start.js')).start,
  },
  vaerdiliste: {
    summary:
      'vaerdiliste list|laes|soeg|opret|import|diff|ret|passiver|slet|tilfoej|fjern   value lists (CPR numbers followed)',
    load: () => (require('./commands/vaerdiliste') as typeof import('./commands/vaerdiliste.js')).vaerdiliste,
  },
  kombit: {
    summary: 'kombit check          step by step: certificate, STS token, broker TLS + login, dueslag',
    load: () => (require('./commands/kombit') as typeof import('./commands/kombit.js')).kombit,
  },
  webhooks: {
    summary:
      'webhooks list|dead ID|replay ID|enable ID|disable ID|test ID|listen   webhook endpoints (state, dead letters, replay)',
    load: () => (require('./commands/webhooks') as typeof import('./commands/webhooks.js')).webhooks,
  },
  sim: {
    summary: 'sim start|emit N|subscriptions   the local Beskedfordeler',
    load: () => (require('./commands/sim') as typeof import('./commands/sim.js')).sim,
  },
};

function usage(): string {
  return [
    'usage: cprh <command> [args]',
    '',
    ...Object.values(commands).map((c) => `  cprh ${c.summary}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    process.stderr.write(`cprh: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  try {
    return await entry.load()(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`cprh ${name}: ${err.message}\n`);
      return 2;
    }
    // One line, `cprh <command>: <CODE>: <message>` (README "Error codes").
    process.stderr.write(`cprh ${name}: ${oneLine(err)}\n`);
    return 1;
  }
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

// Exit as soon as the command is done: a connection still retrying in the background (Redis or
// RabbitMQ down) must never keep a finished command alive.
main(process.argv.slice(2)).then(
  async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  },
  async (err: unknown) => {
    process.stderr.write(`cprh: ${oneLine(err)}\n`);
    await flushed(process.stderr);
    process.exit(1);
  },
);
