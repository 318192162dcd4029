import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `rabbitmqctl -q <args>` against the local broker and returns its stdout. */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', ['-q', ...args], { timeout: 20000 });
  return stdout;
}

/** The broker's pid of the AMQP connection whose client properties contain `name`, if any. */
export async function amqpConnectionPid(name: string): Promise<string | undefined> {
  const stdout = await rabbitmqctl('list_connections', 'pid', 'client_properties');
  const line = stdout.split('\n').find((l) => l.includes(name));
  return /<[^>]+>/.exec(line ?? '')?.[0];
}

/** Closes a connection from the broker side (as a broker restart or token expiry would). */
export async function closeAmqpConnection(pid: string, reason: string): Promise<void> {
  await rabbitmqctl('close_connection', pid, reason);
}

/** Ready + unacked messages of a queue, as the broker counts them. */
export async function brokerMessageCount(queue: string): Promise<number> {
  const stdout = await rabbitmqctl('list_queues', 'name', 'messages_ready', 'messages_unacknowledged');
  const row = stdout.split('\n').find((l) => l.startsWith(queue + '\t'));
  const [, ready, unacked] = (row ?? '').split('\t');
  return Number(ready) + Number(unacked);
}
