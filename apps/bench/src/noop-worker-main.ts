/**
 * The plumbing limit's worker: our worker process (same queue, locks, retries, completion and
 * Redis connections) with parse and dispatch replaced by a no-op that returns at once.
 */
import type { InboxJobResult } from '@cprh/pipeline';
import { runAsProcess } from '@cprh/runtime';
import { startWorker, WORKER_SECTIONS } from '@cprh/worker';

const noop = async (): Promise<InboxJobResult> => ({ eventId: '', entryId: '', duplicate: false });

runAsProcess('worker', WORKER_SECTIONS, (config, log) => startWorker(config, log, { processor: noop }));
