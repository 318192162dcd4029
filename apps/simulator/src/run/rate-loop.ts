/** How often the rate loop tops up its token bucket. */
const TICK_MS = 100;

/**
 * Rate mode: calls `emit(n)` so that about `rate` events a second go out, from a token bucket
 * topped up every 100 ms. While a batch is in flight ticks are skipped, so a slow broker never
 * piles batches up. Returns a stop function.
 */
export function startRateLoop(
  rate: number,
  emit: (n: number) => Promise<unknown>,
  onError: (err: unknown) => void,
): () => void {
  let tokens = 0;
  let last = Date.now();
  let busy = false;
  const timer = setInterval(() => {
    const now = Date.now();
    tokens = Math.min(rate, tokens + ((now - last) / 1000) * rate);
    last = now;
    const n = Math.floor(tokens);
    if (busy || n < 1) return;
    tokens -= n;
    busy = true;
    emit(n)
      .catch(onError)
      .finally(() => {
        busy = false;
      });
  }, TICK_MS);
  return () => clearInterval(timer);
}
