/**
 * Delay before attempt `failed + 1`: exponential from backoffMs (doubling per failed attempt) with
 * "equal jitter" (half fixed, half random) so several senders do not retry in step, at most
 * maxBackoffMs. A Retry-After the endpoint sent (429, 503) wins, also capped at maxBackoffMs.
 */
export function retryDelay(
  failed: number,
  backoffMs: number,
  maxBackoffMs: number,
  retryAfter: number | undefined,
): number {
  if (retryAfter !== undefined) return Math.min(maxBackoffMs, retryAfter);
  const base = Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(Math.max(failed - 1, 0), 40));
  return Math.round(base / 2 + Math.random() * (base / 2));
}
