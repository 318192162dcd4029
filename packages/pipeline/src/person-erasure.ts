import { peekBeskedId } from '@cprh/besked';
import type { Config } from '@cprh/config';
import type { RedisConnection as Redis } from './redis-connections';
import { createDeadQueue, createInboxQueue, DEAD_LETTER_STATES } from './queues';
import { inboxBytes } from './inbox-body';
import type { InboxJobData } from './job-types';
import { mentionsAny } from './message-mentions';
import { isStripped } from './stripped-job';
import { personOrderKeys } from './order-keys';
import { personKey } from './person-key';

/** What was (or, in a dry run, would be) removed from one key family. */
export interface ErasedFamily {
  /** e.g. `stream cpr:events`, `dead letters`, `inbox jobs`. */
  family: string;
  /** Stream entry ids or job ids removed. */
  removed: string[];
  /** The BeskedIds of what was removed (never a CPR number). */
  beskedIds: string[];
  /** Jobs a worker holds right now: not removed, run the erasure again. */
  busy?: string[];
}

/** Inbox job states that can hold a message's bytes (finished ones only with kept bytes). */
const INBOX_STATES = [
  'waiting',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
] as const;
const PAGE = 200;

/**
 * Finds and removes every message about one of `cprs` (ten digits each) from the key families
 * that hold message content: each stream the worker writes (XDEL), the dead letters and the inbox
 * jobs still holding bytes (waiting ones, and completed ones kept by
 * WORKER_KEEP_COMPLETED_BYTES_SECONDS), and the person's order keys (pending set, gaps, missing
 * marker: a hash of the number and job ids, there only while the person has events in flight).
 * Dispatch markers and finished jobs' metadata stay: they
 * hold BeskedIds only, and the markers keep a redelivery of an erased message from being written
 * again. A job a worker holds at this moment is reported as busy, not removed.
 */
export async function erasePerson(
  redis: Redis,
  cfg: Config['pipeline'],
  cprs: ReadonlySet<string>,
  dryRun = false,
): Promise<ErasedFamily[]> {
  const out: ErasedFamily[] = [];
  for (const { stream } of cfg.retainedStreams) out.push(await eraseFromStream(redis, stream, cprs, dryRun));
  const dead = createDeadQueue(redis, cfg);
  const inbox = createInboxQueue(redis, cfg);
  try {
    const deadIds = await dead.getRanges([...DEAD_LETTER_STATES], 0, -1, true);
    out.push(
      await eraseJobs(redis, 'dead letters', dead.toKey(''), deadIds, cprs, dryRun, (id) => dead.remove(id)),
    );
    const inboxIds = await inbox.getRanges([...INBOX_STATES], 0, -1, true);
    const jobs = await eraseJobs(redis, 'inbox jobs', inbox.toKey(''), inboxIds, cprs, dryRun, (id) =>
      inbox.remove(id),
    );
    out.push(jobs);
    // With a job of theirs held by a worker, the order keys stay for it: the re-run removes them.
    out.push(await eraseOrderKeys(redis, cfg, cprs, dryRun, (jobs.busy?.length ?? 0) > 0));
  } finally {
    await Promise.all([dead.close(), inbox.close()]).catch(() => undefined);
  }
  return out;
}

/**
 * The order gate's keys of each person (order-keys.ts). Reported by kind (`pending`, `gaps`,
 * `missing`), never by name: the name carries the person's hash. `beskedIds`: the job ids in them.
 */
async function eraseOrderKeys(
  redis: Redis,
  cfg: Config['pipeline'],
  cprs: ReadonlySet<string>,
  dryRun: boolean,
  busy: boolean,
): Promise<ErasedFamily> {
  const family: ErasedFamily = { family: 'order keys', removed: [], beskedIds: [], busy: [] };
  for (const cpr of cprs) {
    const keys = personOrderKeys(cfg.orderKeyPrefix, personKey(cpr, ''));
    for (const kind of ['pending', 'gaps', 'missing'] as const) {
      const key = keys[kind];
      if ((await redis.exists(key)) === 0) continue;
      if (busy && !dryRun) {
        family.busy?.push(kind);
        continue;
      }
      family.removed.push(kind);
      if (kind !== 'missing') family.beskedIds.push(...(await redis.zrange(key, 0, -1)));
      if (!dryRun) await redis.del(key);
    }
  }
  return family;
}

async function eraseFromStream(
  redis: Redis,
  stream: string,
  cprs: ReadonlySet<string>,
  dryRun: boolean,
): Promise<ErasedFamily> {
  const family: ErasedFamily = { family: `stream ${stream}`, removed: [], beskedIds: [] };
  if ((await redis.type(stream)) !== 'stream') return family;
  let from = '-';
  for (;;) {
    const page = await redis.xrange(stream, from, '+', 'COUNT', PAGE);
    for (const [id, fields] of page) {
      if (!mentionsAny(fields.join('\n'), cprs)) continue;
      family.removed.push(id);
      const at = fields.indexOf('id');
      family.beskedIds.push(at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? id) : id);
    }
    const last = page[page.length - 1]?.[0];
    if (page.length < PAGE || last === undefined) break;
    from = `(${last}`;
  }
  for (let i = 0; !dryRun && i < family.removed.length; i += PAGE) {
    await redis.xdel(stream, ...family.removed.slice(i, i + PAGE));
  }
  return family;
}

async function eraseJobs(
  redis: Redis,
  name: string,
  keyPrefix: string,
  ids: readonly string[],
  cprs: ReadonlySet<string>,
  dryRun: boolean,
  remove: (id: string) => Promise<number>,
): Promise<ErasedFamily> {
  const family: ErasedFamily = { family: name, removed: [], beskedIds: [], busy: [] };
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += PAGE) {
    const page = unique.slice(i, i + PAGE);
    const pipe = redis.pipeline();
    for (const id of page) pipe.hget(`${keyPrefix}${id}`, 'data');
    const replies = (await pipe.exec()) ?? [];
    for (const [j, id] of page.entries()) {
      const json = replies[j]?.[1];
      if (typeof json !== 'string') continue;
      let data: InboxJobData;
      try {
        data = JSON.parse(json) as InboxJobData;
      } catch {
        continue;
      }
      const bytes = isStripped(data) ? undefined : inboxBytes(data);
      if (bytes === undefined) continue;
      const text = bytes.toString('latin1');
      if (!mentionsAny(text, cprs) && !mentionsAny(bytes.toString('utf8'), cprs)) continue;
      if (!dryRun && (await remove(id).catch(() => 0)) === 0) {
        family.busy?.push(id); // locked by a worker (active), or removed meanwhile
        continue;
      }
      family.removed.push(id);
      family.beskedIds.push(peekBeskedId(bytes) ?? id);
    }
  }
  return family;
}
