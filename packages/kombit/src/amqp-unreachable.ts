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
  const reason = cause instanceof Error && cause.message ? `: ${cause.message}` : '';
  return new KombitError(
    'KOMBIT_AMQP_UNREACHABLE',
    `the AMQP broker is not reachable at ${redactUrl(url)}${reason}; ${hint}`,
    { cause },
  );
}
