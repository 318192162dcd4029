import { runCommands, type CommandTable } from './run-commands';
import { chooseTenant, takeTenantOption } from './tenant-scope';

// Commands load lazily (require, not import(): the tsx bin hooks CJS only) so `cprh inspect`
// does not pay for BullMQ or amqplib start-up.
/* eslint-disable @typescript-eslint/no-require-imports */
const commands: CommandTable = {
  inspect: {
    summary:
      'inspect FILE|- | --dead ID | --job ID [--show-cpr]   print the CloudEvent of a file or a stored message (masked unless --show-cpr, audited)',
    load: () => (require('./commands/inspect') as typeof import('./commands/inspect.js')).inspect,
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
  vaerdiliste: {
    summary:
      'vaerdiliste list|laes|soeg|opret|import|diff|ret|passiver|slet|tilfoej|fjern   value lists (CPR numbers followed)',
    load: () => (require('./commands/vaerdiliste') as typeof import('./commands/vaerdiliste.js')).vaerdiliste,
  },
  kombit: {
    summary:
      'kombit check [--all]  step by step: certificate, STS token, broker TLS + login, dueslag (--all: every municipality)',
    load: () => (require('./commands/kombit') as typeof import('./commands/kombit.js')).kombit,
  },
  tenants: {
    summary:
      "tenants [--json] | purge ID --dry-run|--yes   the municipalities (TENANTS_FILE); remove one's Redis keys",
    load: () => (require('./commands/tenants') as typeof import('./commands/tenants.js')).tenants,
  },
  webhooks: {
    summary:
      'webhooks list|dead ID|replay ID|enable ID|disable ID|test ID|listen   webhook endpoints (state, dead letters, replay)',
    load: () => (require('./commands/webhooks') as typeof import('./commands/webhooks.js')).webhooks,
  },
  // The demo launcher's commands under their old names: run `cprh-demo` (workbench) as a process.
  ...Object.fromEntries(
    ['start', 'sim', 'publish'].map((name) => [
      name,
      {
        summary: `${(name + ' ...').padEnd(21)}= \`cprh-demo ${name}\` (the demo launcher, where installed)`,
        load: () =>
          (require('./commands/demo-forward') as typeof import('./commands/demo-forward.js')).forwardToDemo(
            name,
          ),
      },
    ]),
  ),
};

// `--tenant ID` may stand anywhere before `--`; the commands read the municipality's settings.
const scoped = takeTenantOption(process.argv.slice(2));
if ('problem' in scoped) {
  process.stderr.write(`cprh: ${scoped.problem}\n`);
  process.exitCode = 2;
} else {
  chooseTenant(scoped.tenant);
  runCommands('cprh', commands, scoped.rest, '[--tenant ID] ');
}
