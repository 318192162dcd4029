/** The keys of one person in the order gate (see order-scripts.ts), under `orderKeyPrefix`. */
export interface PersonOrderKeys {
  /** ZSET job id -> seq of the person's events not yet in the streams. */
  pending: string;
  /** ZSET original job id -> seq of the person's events skipped (dead letter, stale head). */
  gaps: string;
  /** STRING since when the head of `pending` has had no inbox job. */
  missing: string;
}

/** `orderKeyPrefix` is config.pipeline.orderKeyPrefix (`<QUEUE_PREFIX>:order:`). */
export function personOrderKeys(orderKeyPrefix: string, person: string): PersonOrderKeys {
  const pending = `${orderKeyPrefix}${person}`;
  return { pending, gaps: `${pending}:gaps`, missing: `${pending}:missing` };
}
