import { randomInt } from 'node:crypto';

/** Largest seed: what `--seed` and SIM_SEED accept. */
export const MAX_SEED = 2 ** 31 - 1;

/**
 * The seed of one run: the given one (reproducing an earlier run), else a new random one. A fixed
 * default would make every demo run after the first repeat the same BeskedIds, which the pipeline
 * (rightly) drops as duplicates.
 */
export function runSeed(given: number | undefined): number {
  // At most nine digits: a logged ten-digit number would look like a CPR number to log checks.
  return given ?? randomInt(1, 1_000_000_000);
}
