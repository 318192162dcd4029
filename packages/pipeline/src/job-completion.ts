/**
 * Completing an inbox job in the call that dispatches its event (DISPATCH_LUA): what the worker
 * asks for, the queue keys and settings the script needs, and what it answers.
 */

/** One job to complete with its event's dispatch. */
export interface CompletionRequest {
  /** The lock token the worker took the job with; the next job is taken with it too. */
  token: string;
  /**
   * The processor's result as JSON without its closing brace: the script adds `entryId` and
   * `duplicate`, which only it knows.
   */
  resultOpen: string;
  /**
   * The job's data from now on (its metadata, the bytes stripped) as JSON without its closing
   * brace (the script adds `entryId`), or undefined to keep the data.
   */
  dataOpen: string | undefined;
  /** Take the next waiting job for this slot. */
  fetchNext: boolean;
}

export interface CompletionOutcome {
  /** 0 completed; else BullMQ's code (-1 no job, -2 no lock, -3 not active, -6 other token). */
  code: number;
  finishedOn: number;
  /** The next job for this slot: its hash as HGETALL gives it, and its id. */
  next: { raw: string[]; id: string } | undefined;
}

/** The keys of one BullMQ queue the script uses (Queue.keys / Worker.keys). */
export interface CompletionKeys {
  /** `<prefix>:<queue>:`, what a job id is appended to. */
  jobPrefix: string;
  active: string;
  stalled: string;
  completed: string;
  wait: string;
  delayed: string;
  prioritized: string;
  meta: string;
  marker: string;
}

/** A BullMQ queue's completion keys (Queue or Worker: both name keys by toKey). */
export function completionKeys(q: { toKey(type: string): string }): CompletionKeys {
  return {
    jobPrefix: q.toKey(''),
    active: q.toKey('active'),
    stalled: q.toKey('stalled'),
    completed: q.toKey('completed'),
    wait: q.toKey('wait'),
    delayed: q.toKey('delayed'),
    prioritized: q.toKey('prioritized'),
    meta: q.toKey('meta'),
    marker: q.toKey('marker'),
  };
}

/** Where and how a dispatcher completes jobs: one inbox queue and its worker's settings. */
export interface CompletionSettings {
  keys: CompletionKeys;
  lockDurationMs: number;
  /** Completed jobs older than this are removed (BullMQ's removeOnComplete age); 0 keeps them. */
  keepCompletedMs: number;
  /** The worker's name (BullMQ's `processedBy`), if it has one. */
  name?: string;
}

/** One event's completion part of the script's reply; unreadable counts as "not completed" (-1). */
export function completionOutcomeOf(part: unknown, finishedOn: number): CompletionOutcome {
  if (!Array.isArray(part)) return { code: -1, finishedOn, next: undefined };
  const [code, raw, id] = part as [unknown, unknown, unknown];
  const next = Array.isArray(raw) && typeof id === 'string' ? { raw: raw as string[], id } : undefined;
  return { code: typeof code === 'number' ? code : -1, finishedOn, next };
}
