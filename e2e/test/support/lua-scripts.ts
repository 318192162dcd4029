import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Config } from '@cprh/config';
import { rewriteBeskedId } from '@cprh/simulator';
import { Worker } from 'bullmq';
import {
  checkInboxMoving,
  completionKeys,
  createWorkerRedis,
  createInboxQueue,
  DISPATCH_LUA,
  EventDispatcher,
  FinishedJobSweep,
  HEAD_CHECK_LUA,
  HOLDS_BYTES_LUA,
  InboxWriter,
  JobStripper,
  OrderGate,
  orderTicket,
  READ_INBOX_PROGRESS_LUA,
  INBOX_ADD_LUA,
  RELEASE_LUA,
  STRIP_LUA,
  strippedJobData,
  WAKE_LUA,
  type RedisConnection,
} from '@cprh/pipeline';
import { DRAIN_LOCK_RELEASE_LUA, DRAIN_LOCK_RENEW_LUA, DrainLock, drainLockKey } from '@cprh/poller';
import {
  ACCEPT_LUA,
  BACKFILL_HEAD_LUA,
  CLAIM_LUA,
  COMPLETE_LUA,
  DeliveryStore,
  ENQUEUE_LUA,
  ERASE_PERSON_LUA,
  INTAKE_LEASE_LUA,
  INTAKE_RELEASE_LUA,
  cprPersonKey,
  personSlot,
  REPLAY_DEAD_LUA,
} from '@cprh/webhooks';
import { repoRoot } from '@cprh/testkit';
import { SAMPLE } from './pipeline-harness';

/**
 * Every Lua script of the product, one list. cluster-lua-scripts.test.ts runs each on a Redis
 * Cluster through the product's own code (so with the keys its key layout builds, for one
 * partition), and fails when a script in the source is not in this list.
 */
export interface LuaScriptEntry {
  readonly name: string;
  readonly lua: string;
}

export const LUA_SCRIPTS: readonly LuaScriptEntry[] = [
  { name: 'inbox writer: add (seq, person pending set, job)', lua: INBOX_ADD_LUA },
  { name: 'dispatch (order gate, markers, streams, job completion)', lua: DISPATCH_LUA },
  { name: 'order gate: HEAD_CHECK', lua: HEAD_CHECK_LUA },
  { name: 'order gate: RELEASE (dead letter gives up its place)', lua: RELEASE_LUA },
  { name: 'order gate: WAKE', lua: WAKE_LUA },
  { name: 'job stripper', lua: STRIP_LUA },
  { name: 'finished-job sweep: which jobs still hold bytes', lua: HOLDS_BYTES_LUA },
  { name: 'inbox stall check (readiness)', lua: READ_INBOX_PROGRESS_LUA },
  { name: 'poller drain lock: renew', lua: DRAIN_LOCK_RENEW_LUA },
  { name: 'poller drain lock: release', lua: DRAIN_LOCK_RELEASE_LUA },
  { name: 'webhooks: intake lease', lua: INTAKE_LEASE_LUA },
  { name: 'webhooks: intake release', lua: INTAKE_RELEASE_LUA },
  { name: 'webhooks: accept', lua: ACCEPT_LUA },
  { name: 'webhooks: claim', lua: CLAIM_LUA },
  { name: 'webhooks: complete', lua: COMPLETE_LUA },
  { name: 'webhooks: replay dead letter', lua: REPLAY_DEAD_LUA },
  { name: 'webhooks: enqueue', lua: ENQUEUE_LUA },
  { name: 'webhooks: backfill heads', lua: BACKFILL_HEAD_LUA },
  { name: 'webhooks: erase a person', lua: ERASE_PERSON_LUA },
];

export const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

/**
 * The connection `redis` with every EVAL / EVALSHA recorded: which scripts ran (by SHA-1) and
 * every error but NOSCRIPT, also those the product swallows (the drain lock's renewal, a wake-up).
 */
export function recordingScripts(redis: RedisConnection): {
  conn: RedisConnection;
  ran: Set<string>;
  errors: string[];
} {
  const ran = new Set<string>();
  const errors: string[] = [];
  const conn = new Proxy(redis, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      const fn = v as (...a: unknown[]) => unknown;
      if (prop !== 'eval' && prop !== 'evalsha') return fn.bind(target);
      return async (...args: unknown[]): Promise<unknown> => {
        const sha = prop === 'eval' ? sha1(String(args[0])) : String(args[0]);
        try {
          const r = await fn.apply(target, args);
          ran.add(sha);
          return r;
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          if (!msg.startsWith('NOSCRIPT')) errors.push(`${sha.slice(0, 8)}: ${msg}`);
          throw err;
        }
      };
    },
  });
  return { conn, ran, errors };
}

/** A received message about `cpr` with a fresh BeskedId. */
function aboutPerson(cpr: string): {
  body: Buffer;
  source: string;
  receivedAt: number;
  channel: { kind: 'amqp'; messageId: string; redelivered: boolean };
} {
  const id = randomUUID();
  const body = Buffer.from(
    rewriteBeskedId(SAMPLE, id).replace(/urn:oio:cpr-nr:\d{10}/g, `urn:oio:cpr-nr:${cpr}`),
  );
  return {
    body,
    source: 'urn:test',
    receivedAt: Date.now(),
    channel: { kind: 'amqp', messageId: id, redelivered: false },
  };
}

/**
 * Runs every script through the product's code: the pipeline's on partition `part` (its
 * Config['pipeline'] from partitionPipeline), the poller's and the webhooks' on the unpartitioned
 * QUEUE_PREFIX (`cfg`), as the product does.
 */
export async function runEveryScript(
  conn: RedisConnection,
  plain: RedisConnection,
  part: Config['pipeline'],
  cfg: Config['pipeline'],
  redisCfg: Config['redis'],
): Promise<void> {
  const inbox = createInboxQueue(plain, part);
  try {
    const cpr = '0404851234';
    const writer = new InboxWriter(conn, inbox, part, redisCfg);
    const [m1, m2] = [aboutPerson(cpr), aboutPerson(cpr)];
    const ids = await writer.persist([m1, m2]);
    const jobs = await Promise.all(ids.map((id) => inbox.getJob(id)));
    const [j1, j2] = jobs;
    if (j1 === undefined || j2 === undefined) throw new Error('persisted jobs missing');
    const person = j1.data.person ?? '';
    const t1 = orderTicket(ids[0]!, j1.data, person);
    const t2 = orderTicket(ids[1]!, j2.data, person);

    const gate = new OrderGate(conn, inbox, part, 60000);
    const head = await gate.blockingHead(t2);
    if (head === undefined) throw new Error('the second event is not behind the first');
    await gate.checkHead(t2, head);

    // The worker's dispatch: the first job taken as BullMQ's Worker takes it, its event dispatched
    // and the job completed in the same call, with the next waiting one taken for the same slot.
    const takerRedis = createWorkerRedis(redisCfg, 'lua-scripts-taker');
    const taker = new Worker(part.inboxQueue, null, {
      connection: takerRedis,
      prefix: part.queuePrefix,
      autorun: false,
    });
    try {
      const taken = await taker.getNextJob('tok-lua', { block: false });
      if (taken?.id !== t1.jobId) throw new Error(`took ${taken?.id ?? 'nothing'}, not the first job`);
      const dispatcher = new EventDispatcher(conn, part, {
        keys: completionKeys(inbox),
        lockDurationMs: 30000,
        keepCompletedMs: 1,
      });
      const done = await dispatcher.dispatch(
        { id: t1.jobId, type: 'test' },
        t1,
        { eventNames: ['foedsel'], beskedtype: undefined },
        { token: 'tok-lua', resultOpen: '{"eventId":"e"', dataOpen: undefined, fetchNext: true },
      );
      const c = 'completion' in done ? done.completion : undefined;
      if (c?.code !== 0 || c.next?.id !== t2.jobId) {
        throw new Error(`dispatch with completion: code ${c?.code}, next ${c?.next?.id ?? 'none'}`);
      }
    } finally {
      await taker.close();
      takerRedis.disconnect();
    }
    await gate.release(t2);
    await gate.wake(t2.jobId);

    const stripper = new JobStripper(conn, part);
    const meta = strippedJobData(j1.data, 'dispatched');
    await stripper.strip([
      { jobId: t1.jobId, state: 'completed', meta },
      { jobId: t2.jobId, state: 'failed', meta },
    ]);
    // The retention sweep reads the completed set: put the first job there as BullMQ would, older
    // than the sweep's settle time (finished-job-sweep.ts) so this pass reads it.
    await plain.zadd(`${part.queuePrefix}:${part.inboxQueue}:completed`, Date.now() - 10_000, t1.jobId);
    await new FinishedJobSweep(conn, part, stripper, 0).run();
    await checkInboxMoving(conn, part, 60);

  } finally {
    await inbox.close();
  }

  // The poller's drain lock (poll mode): renewed every ttl/3 while held, released after.
  await new DrainLock(conn, drainLockKey(cfg.queuePrefix, 'test-ticks'), 150).withLock(
    () => new Promise((r) => setTimeout(r, 200)),
  );

  // Webhooks (one endpoint's state; webhooks run with one partition).
  const store = new DeliveryStore(conn, cfg.queuePrefix, 'ep-lua');
  const token = randomUUID();
  const slot = personSlot(cprPersonKey('0404851234'));
  await store.holdIntake(token, 5000);
  await store.accept(token, 'e1', '1-1', slot, 60000);
  const { claimed } = await store.claim(4, 5000, 'tok');
  const c = claimed[0];
  if (c === undefined) throw new Error('nothing claimed');
  await store.complete(c, {
    kind: 'dead',
    dead: {
      eventId: 'e1',
      entryId: '1-1',
      slot,
      attempts: 1,
      lastStatus: 500,
      lastError: null,
      firstAttemptAt: Date.now(),
      deadAt: Date.now(),
    },
  });
  await store.replayDead('e1');
  await store.enqueue('2-1', 'e2', slot);
  await store.backfillHeads();
  await store.erasePerson(slot);
  await store.releaseIntake(token);
}

/** Every template literal in the product's source that is a Lua script (calls redis.call). */
export function luaScriptsInSource(): { file: string; lua: string }[] {
  const out: { file: string; lua: string }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name === 'test') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/`((?:[^`\\]|\\.)*)`/gs)) {
          const body = m[1] ?? '';
          if (body.includes('redis.call(')) out.push({ file: relative(repoRoot, path), lua: body });
        }
      }
    }
  };
  for (const top of ['apps', 'packages']) {
    for (const pkg of readdirSync(join(repoRoot, top))) {
      const src = join(repoRoot, top, pkg, 'src');
      if (statSync(join(repoRoot, top, pkg)).isDirectory() && existsDir(src)) walk(src);
    }
  }
  return out;
}

function existsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
