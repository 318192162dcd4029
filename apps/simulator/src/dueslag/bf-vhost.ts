import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'undici';
import type { Logger } from 'pino';
import { SimError } from '../sim-error';
import { PublisherLink } from './publisher-link';

const run = promisify(execFile);
export const BF_VHOST = 'BF';

/**
 * Makes sure the local RabbitMQ has KOMBIT's virtual host `BF` and that the relay's user may use
 * it. Idempotent. First the management HTTP API on the broker's host (port 15672 by default:
 * what the docker-compose RabbitMQ image has), then `rabbitmqctl` (a broker on this machine).
 */
export async function ensureBfVhost(
  upstreamUrl: string,
  log?: Logger,
  managementPort = 15672,
): Promise<'management-api' | 'rabbitmqctl'> {
  // The broker first, so a RabbitMQ that is down is named as such (not as a vhost failure).
  await PublisherLink.probe(upstreamUrl);
  const u = new URL(upstreamUrl);
  const user = decodeURIComponent(u.username || 'guest');
  const password = decodeURIComponent(u.password || 'guest');
  try {
    await viaManagementApi(u.hostname, managementPort, user, password);
    return 'management-api';
  } catch (apiErr) {
    try {
      await run('rabbitmqctl', ['-q', 'add_vhost', BF_VHOST], { timeout: 20_000 }).catch(alreadyThere);
      await run('rabbitmqctl', ['-q', 'set_permissions', '-p', BF_VHOST, user, '.*', '.*', '.*'], {
        timeout: 20_000,
      });
      return 'rabbitmqctl';
    } catch (ctlErr) {
      log?.debug({ api: (apiErr as Error).message }, 'management API not available');
      throw new SimError(
        'SIM_AMQP_FRONT_FAILED',
        `cannot create RabbitMQ vhost ${BF_VHOST} (neither the management API on ${u.hostname}:${managementPort} nor rabbitmqctl worked): ${(ctlErr as Error).message.split('\n')[0]}`,
        { cause: ctlErr },
      );
    }
  }
}

function alreadyThere(err: unknown): void {
  const stderr = (err as { stderr?: unknown }).stderr;
  // execFile's stderr is a string or a Buffer; a failed HTTP call has only a message.
  const text =
    typeof stderr === 'string' || Buffer.isBuffer(stderr) ? stderr.toString() : (err as Error).message;
  if (!/already exists|vhost_already_exists/i.test(text)) throw err;
}

async function viaManagementApi(host: string, port: number, user: string, password: string): Promise<void> {
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}/api`;
  const headers = {
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    'content-type': 'application/json',
  };
  const put = async (path: string, body: unknown): Promise<void> => {
    const res = await request(`${base}${path}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify(body),
      headersTimeout: 3000,
    });
    await res.body.dump();
    if (res.statusCode >= 300) throw new Error(`management API ${path}: HTTP ${res.statusCode}`);
  };
  await put(`/vhosts/${BF_VHOST}`, {});
  await put(`/permissions/${BF_VHOST}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
}
