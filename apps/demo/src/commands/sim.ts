import { parseArgs } from 'node:util';
import { loadWorkbenchConfig, type WorkbenchConfigOf } from '@cprh/simulator';
import {
  EVENT_KINDS,
  MAX_SEED,
  SIMULATOR_SECTIONS,
  SubscriptionRegistry,
  createSimLogger,
  ensureBfVhost,
  startSimulator,
  type EventKind,
  type SimEvent,
} from '@cprh/simulator';
import { redisUnreachable } from '@cprh/pipeline';
import { Redis } from 'ioredis';
import type { Command } from '@cprh/cli';
import { demoUsesStsFront, withVhostBf } from '../demo-kombit-wiring';
import { UsageError } from '@cprh/cli';

const USAGE = [
  'usage: cprh sim start [--rate N] [--seed S] [--dueslag QUEUE]',
  '       cprh sim emit N [--seed S] [--kind KIND] [--dueslag QUEUE | --tenant ID]',
  '       cprh sim emit --day [--size PEOPLE] [--seed S] [--dueslag QUEUE]',
  '       cprh sim subscriptions',
].join('\n');

type SimConfig = WorkbenchConfigOf<typeof SIMULATOR_SECTIONS>;
type Args = ReturnType<typeof parse>;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        rate: { type: 'string' },
        seed: { type: 'string' },
        kind: { type: 'string' },
        dueslag: { type: 'string' },
        tenant: { type: 'string' },
        day: { type: 'boolean' },
        size: { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
}

function intArg(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be an integer ${min}-${max}, got "${text}"`);
  }
  return n;
}

/** "foedsel 2, flytning 14, …": counts by kind, never a CPR number. */
function summary(events: readonly SimEvent[]): string {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return EVENT_KINDS.filter((k) => counts.has(k))
    .map((k) => `${k} ${counts.get(k)}`)
    .join(', ');
}

/** What `start` and `emit` share: the seed and the demo dueslag given on the command line. */
interface Common {
  readonly seed: number | undefined;
  readonly dueslag: string | undefined;
}

/** "seed S (--seed S repeats them)": how to reproduce a run with new ids. */
const seedNote = (seed: number) => `seed ${seed} (--seed ${seed} repeats them)`;

async function simStart(config: SimConfig, { values, positionals }: Args, common: Common): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n${USAGE}`);
  const rate = intArg('--rate', values.rate, 0, 1000);
  const logger = createSimLogger(config.log.level);
  const running = await startSimulator(config, {
    logger,
    ...(rate !== undefined ? { rate } : {}),
    ...(common.seed !== undefined ? { seed: common.seed } : {}),
    ...(common.dueslag !== undefined ? { demoDueslag: common.dueslag } : {}),
  });
  process.stdout.write(
    `simulator running: STS ${running.stsUrl ?? '-'}, BeskedfordelerService ${running.soapUrl ?? '-'}, ` +
      `demo dueslag ${common.dueslag ?? config.simulator.dueslag}, ${seedNote(running.seed)}\n`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info({ signal }, 'simulator stopping');
  await running.stop();
  return 0;
}

async function simEmit(config: SimConfig, { values, positionals }: Args, common: Common): Promise<number> {
  const n = values.day ? undefined : intArg('N', positionals[0], 1, 1_000_000);
  if (!values.day && n === undefined) throw new UsageError(`emit needs N (or --day)\n${USAGE}`);
  const kindText = values.kind;
  if (kindText !== undefined && !(EVENT_KINDS as readonly string[]).includes(kindText)) {
    throw new UsageError(`--kind must be one of ${EVENT_KINDS.join(', ')}`);
  }
  const size = intArg('--size', values.size, 1, 10_000_000);
  // Where `pnpm start`'s poller reads: the dueslag in vhost BF behind the simulator's AMQP front
  // (unless KOMBIT_ENV / AMQP_AUTH chose plain AMQP, then the URL as set).
  const viaBf = demoUsesStsFront(config);
  if (viaBf) await ensureBfVhost(config.amqp.url);
  const emitConfig = viaBf
    ? { ...config, amqp: { ...config.amqp, url: withVhostBf(config.amqp.url) } }
    : config;
  // With a TENANTS_FILE each tenant's population goes to its own dueslag (--dueslag: one queue only).
  const all = common.dueslag !== undefined ? [] : config.simulator.tenants;
  const tenants = all.filter((t) => values.tenant === undefined || t.id === values.tenant);
  if (values.tenant !== undefined && tenants.length === 0) {
    const known = all.length > 0 ? all.map((t) => t.id).join(', ') : 'none; set TENANTS_FILE';
    throw new UsageError(`--tenant ${values.tenant} is not a tenant of TENANTS_FILE (${known})`);
  }
  const running = await startSimulator(emitConfig, {
    logger: createSimLogger(config.log.level === 'info' ? 'warn' : config.log.level),
    servers: false,
    rate: 0,
    tenants,
    ...(common.seed !== undefined ? { seed: common.seed } : {}),
    ...(common.dueslag !== undefined ? { demoDueslag: common.dueslag } : {}),
  });
  try {
    const events = values.day
      ? await running.emitDayOfDeltas(size)
      : await running.emit(n as number, kindText !== undefined ? { kind: kindText as EventKind } : {});
    await running.settle(60_000);
    const target =
      tenants.length > 0
        ? `the dueslag of ${tenants.map((t) => t.id).join(', ')}`
        : (common.dueslag ?? config.simulator.dueslag);
    const counts = events.length > 0 ? ` (${summary(events)})` : '';
    process.stdout.write(
      `emitted ${events.length} event${events.length === 1 ? '' : 's'} to ${target}${viaBf ? ' (vhost BF)' : ''}${counts}; ${seedNote(running.seed)}\n`,
    );
  } finally {
    await running.stop();
  }
  return 0;
}

async function simSubscriptions(config: SimConfig, { positionals }: Args): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const redis = new Redis(config.redis.url, {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch (err) {
      throw redisUnreachable(config.redis.url, err);
    }
    const subs = await new SubscriptionRegistry(redis, config.simulator.redisPrefix).list();
    if (subs.length === 0) {
      process.stdout.write(
        `no running simulator; \`cprh sim start\` serves a catch-all ${config.simulator.demo.mode} subscription on dueslag ${config.simulator.dueslag}\n`,
      );
    }
    for (const s of subs) {
      const filter = Object.entries(s.filter)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
        .join(' ');
      const where = s.delivery.mode === 'push' ? `push ${s.delivery.url}` : `pull ${s.dueslag}`;
      process.stdout.write(`${s.id}  ${s.navn}  ${where}  ${filter || 'catch-all'}\n`);
    }
  } finally {
    redis.disconnect();
  }
  return 0;
}

/**
 * `cprh sim`: the local Beskedfordeler. `start` runs it (STS, BeskedfordelerService, a demo
 * subscription fed at SIM_RATE events/s) until SIGTERM/SIGINT; `emit` delivers N events (or a
 * day of deltas) to the demo subscription's dueslag now; `subscriptions` lists what a running
 * simulator serves. Without `--seed` (or SIM_SEED) each run has a new seed, printed with the
 * result, so a run brings new BeskedIds and the printed seed repeats it.
 */
export const sim: Command = async (argv) => {
  const [sub, ...rest] = argv;
  const args = parse(rest);
  const config = loadWorkbenchConfig(SIMULATOR_SECTIONS);
  const seed = intArg('--seed', args.values.seed, 0, MAX_SEED);
  const dueslag = args.values.dueslag;
  if (dueslag !== undefined && !/^\S{1,255}$/.test(dueslag))
    throw new UsageError('--dueslag must be a queue name');
  switch (sub) {
    case 'start':
      return simStart(config, args, { seed, dueslag });
    case 'emit':
      return simEmit(config, args, { seed, dueslag });
    case 'subscriptions':
      return simSubscriptions(config, args);
    default:
      throw new UsageError(sub === undefined ? USAGE : `unknown sub-command "${sub}"\n${USAGE}`);
  }
};
