import { runCommands, type CommandTable } from '@cprh/cli';

// `cprh-demo`: the workbench's launcher of the local stack. Commands load lazily (require, not
// import(): the tsx bin hooks CJS only), as in `cprh`.
/* eslint-disable @typescript-eslint/no-require-imports */
const commands: CommandTable = {
  start: {
    summary: 'start                 run the service locally (poller, worker, ops, simulator)',
    load: () => (require('./commands/start') as typeof import('./commands/start.js')).start,
  },
  sim: {
    summary: 'sim start|emit N|subscriptions   the local Beskedfordeler',
    load: () => (require('./commands/sim') as typeof import('./commands/sim.js')).sim,
  },
  publish: {
    summary: 'publish FILE... [--count N] [--queue DUESLAG]   put messages on the local RabbitMQ queue',
    load: () => (require('./commands/publish') as typeof import('./commands/publish.js')).publish,
  },
  kombit: {
    summary:
      "kombit check          `cprh kombit check` on the demo's route (the simulator's STS and AMQP front)",
    load: () => (require('./commands/kombit') as typeof import('./commands/kombit.js')).kombit,
  },
  vaerdiliste: {
    summary: 'vaerdiliste ...       `cprh vaerdiliste` against the simulator with its dev certificate',
    load: () => (require('./commands/vaerdiliste') as typeof import('./commands/vaerdiliste.js')).vaerdiliste,
  },
};

runCommands('cprh-demo', commands, process.argv.slice(2));
