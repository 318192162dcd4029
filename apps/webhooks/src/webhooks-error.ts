import { CodedError } from '@cprh/errors';
import type { WebhooksErrorCode } from './error-codes';

/** An error of the webhook sender with a stable `code`; messages name endpoint and event ids only. */
export class WebhooksError extends CodedError<WebhooksErrorCode> {}
