import { withDeadline } from './with-deadline';

/** `detail`: what the check wants shown beside the verdict (e.g. each tenant's state), no message data. */
export type Readiness =
  { ready: true; detail?: ReadinessDetail } | { ready: false; reason: string; detail?: ReadinessDetail };

export type ReadinessDetail = Readonly<Record<string, unknown>>;

/** The verdict of all checks; `details` holds each check's detail under its name (only when one gave any). */
export type ProcessReadiness = Readiness & { details?: Record<string, ReadinessDetail> };

/** One thing a process needs to do its work (Redis, the broker, a moving inbox). */
export type ReadinessCheck = () => Promise<Readiness>;

const checks = new Map<symbol, { name: string; check: ReadinessCheck }>();

/**
 * Registers a check for this process's /readyz; services add theirs on start and call the
 * returned function on stop (under `cprh start` several services share one process and endpoint).
 */
export function addReadinessCheck(name: string, check: ReadinessCheck): () => void {
  const key = Symbol(name);
  checks.set(key, { name, check });
  return () => {
    checks.delete(key);
  };
}

/**
 * Runs every registered check, each bounded by `timeoutMs`. Ready only when all are; the reasons
 * name each failing check (`<name>: <why>`), never message data. A check's detail (a TENANTS_FILE
 * poller lists its tenants) is kept under the check's name.
 */
export async function evaluateReadiness(timeoutMs: number): Promise<ProcessReadiness> {
  const details: Record<string, ReadinessDetail> = {};
  const results = await Promise.all(
    [...checks.values()].map(async ({ name, check }) => {
      const r = await withDeadline(
        check(),
        timeoutMs,
        () => new Error(`no answer within ${timeoutMs} ms`),
      ).catch((err: unknown): Readiness => ({
        ready: false,
        reason: err instanceof Error ? err.message : String(err),
      }));
      if (r.detail !== undefined) details[name] = r.detail;
      return r.ready ? undefined : `${name}: ${r.reason}`;
    }),
  );
  const reasons = results.filter((r): r is string => r !== undefined);
  const extra = Object.keys(details).length > 0 ? { details } : {};
  return reasons.length === 0
    ? { ready: true, ...extra }
    : { ready: false, reason: reasons.join('; '), ...extra };
}
