import { CodedError } from '@cprh/errors';
import type { BoardErrorCode } from './error-codes';

/** A start-up failure of the ops process; the message is one line fit for the console. */
export class BoardError extends CodedError<BoardErrorCode> {}
