import { withDeadline } from './with-deadline';

export type Readiness = { ready: true } | { ready: false; reason: string };

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
 * name each failing check (`<name>: <why>`), never message data.
 */
export async function evaluateReadiness(timeoutMs: number): Promise<Readiness> {
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
      return r.ready ? undefined : `${name}: ${r.reason}`;
    }),
  );
  const reasons = results.filter((r): r is string => r !== undefined);
  return reasons.length === 0 ? { ready: true } : { ready: false, reason: reasons.join('; ') };
}
