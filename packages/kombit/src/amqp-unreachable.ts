import { redactUrl } from '@cprh/config';
import { KombitError } from './kombit-error';

/** How to get a local RabbitMQ, the hint of every "not reachable" line for plain AMQP. */
export const START_RABBITMQ_HINT =
  'start it with `rabbitmq-server -detached` (or `docker compose up -d rabbitmq`), or set AMQP_URL';

/**
 * The one line a process or `cprh` command prints when the local RabbitMQ does not answer: the
 * URL (no password), the socket's reason, and how to start the server.
 */
export function amqpUnreachable(url: string, cause: unknown, hint = START_RABBITMQ_HINT): KombitError {
  const why = socketReason(cause);
  const reason = why ? `: ${why}` : '';
  return new KombitError(
    'KOMBIT_AMQP_UNREACHABLE',
    `the AMQP broker is not reachable at ${redactUrl(url)}${reason}; ${hint}`,
    { cause },
  );
}

/**
 * The socket's words: the message, or for an AggregateError (every address refused) its first
 * error's or its code. Duck-typed: errors from Node's own realm are not `instanceof` a sandbox's Error.
 */
function socketReason(cause: unknown): string {
  if (typeof cause !== 'object' || cause === null) return '';
  const e = cause as { message?: unknown; code?: unknown; errors?: { message?: unknown }[] };
  if (typeof e.message === 'string' && e.message) return e.message;
  const first = e.errors?.[0]?.message;
  if (typeof first === 'string' && first) return first;
  return typeof e.code === 'string' ? e.code : '';
}
