import { CodedError } from '@cprh/errors';
import type { KombitErrorCode } from './error-codes';

/** An error talking to KOMBIT's systems (or their local stand-ins) with a stable `code`. */
export class KombitError extends CodedError<KombitErrorCode> {}
