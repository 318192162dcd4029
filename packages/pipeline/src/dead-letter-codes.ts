import { BESKED_ERROR_CODES, type BeskedErrorCode } from '@cprh/besked';
import { PIPELINE_ERROR_CODES, type PipelineErrorCode } from './error-codes';

/**
 * The worker's own reasons to give up on a message (their meaning is in apps/worker's error-codes
 * table); listed here because a dead letter may carry them and packages do not import apps.
 */
export const WORKER_DEAD_LETTER_CODES = ['WORKER_RETRIES_EXHAUSTED', 'WORKER_STALLED'] as const;

/** Why a message is a dead letter: a parse/contract error, a pipeline error, or the worker gave up. */
export type DeadLetterCode = BeskedErrorCode | PipelineErrorCode | (typeof WORKER_DEAD_LETTER_CODES)[number];

const KNOWN = new Set<string>([
  ...Object.keys(BESKED_ERROR_CODES),
  ...Object.keys(PIPELINE_ERROR_CODES),
  ...WORKER_DEAD_LETTER_CODES,
]);

export function isDeadLetterCode(code: unknown): code is DeadLetterCode {
  return typeof code === 'string' && KNOWN.has(code);
}
