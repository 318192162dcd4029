import type { RedisConnection as Redis } from './redis-connections';
import type { Config } from '@cprh/config';
import type { DeadLetters } from './dead-letters';
import { FinishedJobSweep } from './finished-job-sweep';
import type { JobStripper } from './job-stripper';
import { metrics, type Logger } from '@cprh/runtime';
import { trimStreamByAge } from './stream-age-trim';
import { tenantLabel } from './tenant-label';

export interface RetentionOptions {
  redis: Redis;
  pipeline: Config['pipeline'];
  deadLetters: DeadLetters;
  stripper: JobStripper;
  /** WORKER_KEEP_COMPLETED_BYTES_SECONDS */
  keepCompletedBytesSeconds: number;
  /** RETENTION_INTERVAL_SECONDS */
  intervalSeconds: number;
  log: Logger;
}

export interface RetentionTask {
  /** One pass now (tests; the timer calls it every interval). */
  runOnce(now?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A warning about the same group or the dead letters is repeated at most this often. */
const REPEAT_WARNING_MS = 3600 * 1000;

/**
 * The worker's retention limits, applied every RETENTION_INTERVAL_SECONDS: removes the bytes
 * of finished inbox jobs (FinishedJobSweep), trims every stream to its age (reporting consumer
 * groups that have not read what is trimmed, before and when it happens) and purges dead letters
 * older than DEAD_LETTER_MAX_AGE_SECONDS (counting those due within the warning window first).
 * Several workers may run it at once: every step is idempotent. A failing pass is logged and the
 * next one tries again.
 */
export function startRetention(o: RetentionOptions): RetentionTask {
  const sweep = new FinishedJobSweep(o.redis, o.pipeline, o.stripper, o.keepCompletedBytesSeconds * 1000);
  const warnedAt = new Map<string, number>();
  const tenant = tenantLabel(o.pipeline);
  const warnOnce = (key: string, now: number, write: () => void): void => {
    if (now - (warnedAt.get(key) ?? -Infinity) < REPEAT_WARNING_MS) return;
    warnedAt.set(key, now);
    write();
  };

  async function trimStreams(now: number): Promise<void> {
    for (const { stream, maxAgeSeconds } of o.pipeline.retainedStreams) {
      const r = await trimStreamByAge(
        o.redis,
        stream,
        maxAgeSeconds,
        o.pipeline.eventsMaxAgeWarnSeconds,
        now,
      );
      if (r.trimmed > 0) metrics.streamEntriesTrimmed.inc({ stream, tenant }, r.trimmed);
      for (const g of r.groups) {
        const labels = { stream, group: g.group, tenant };
        metrics.streamOldestUnreadAge.set(labels, Math.round(g.oldestUnreadAgeSeconds));
        metrics.streamUnreadExpiring.set(labels, g.unreadExpiring ? 1 : 0);
        if (g.unreadTrimmed > 0) {
          metrics.streamUnreadTrimmed.inc(labels, g.unreadTrimmed);
          o.log.error(
            { stream, group: g.group, entries: g.unreadTrimmed, maxAgeSeconds },
            'stream entries older than the age limit were removed before this consumer group read them',
          );
        } else if (g.unreadExpiring) {
          warnOnce(`${stream}\u0000${g.group}`, now, () =>
            o.log.warn(
              {
                stream,
                group: g.group,
                oldestUnreadAgeSeconds: Math.round(g.oldestUnreadAgeSeconds),
                maxAgeSeconds,
              },
              'consumer group is behind: entries it has not read reach the stream age limit soon and will be removed',
            ),
          );
        }
      }
    }
  }

  async function expireDeadLetters(now: number): Promise<void> {
    const maxAge = o.pipeline.deadLetterMaxAgeSeconds * 1000;
    if (maxAge === 0) {
      metrics.deadLettersExpiring.set({ tenant }, 0);
      return;
    }
    const purged = await o.deadLetters.purgeRecordedBefore(now - maxAge);
    if (purged.length > 0) {
      metrics.deadLettersPurged.inc({ tenant }, purged.length);
      o.log.info({ deadLetters: purged, maxAgeSeconds: maxAge / 1000 }, 'dead letters purged by age');
    }
    const warnBefore = now - maxAge + o.pipeline.deadLetterExpiryWarnSeconds * 1000;
    const expiring = (await o.deadLetters.ages()).filter((a) => a.recordedAt < warnBefore).length;
    metrics.deadLettersExpiring.set({ tenant }, expiring);
    if (expiring > 0) {
      warnOnce('dead', now, () =>
        o.log.warn(
          { deadLetters: expiring, maxAgeSeconds: maxAge / 1000 },
          'dead letters will be purged by DEAD_LETTER_MAX_AGE_SECONDS soon; replay or export what you need',
        ),
      );
    }
  }

  async function runOnce(now = Date.now()): Promise<void> {
    for (const step of [() => sweep.run(now), () => trimStreams(now), () => expireDeadLetters(now)]) {
      try {
        await step();
      } catch (err) {
        o.log.warn({ err: (err as Error).message }, 'retention pass failed; retried next interval');
      }
    }
  }

  let stopped = false;
  let busy = false;
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    // A pass slower than the interval is not queued behind itself.
    if (stopped || busy) return;
    busy = true;
    running = running.then(() => runOnce()).finally(() => (busy = false));
  }, o.intervalSeconds * 1000);
  timer.unref();
  running = runOnce();

  return {
    runOnce: (now) => (running = running.then(() => runOnce(now))),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await o.stripper.idle();
    },
  };
}
