import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface OwnRedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL the server (simulates a crash); `start()` brings it back on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stop for good (end of test). */
  stop(): Promise<void>;
}

/**
 * Starts a private redis-server child on a free port, without persistence, so a test can take
 * Redis away without touching the shared server on 6379.
 */
export async function startRedisServer(extraArgs: string[] = []): Promise<OwnRedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const ping = async (): Promise<boolean> => {
    // disconnectTimeout: ioredis otherwise leaves a 2 s timer behind after a refused connect,
    // which keeps jest from exiting.
    const c = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      disconnectTimeout: 0,
    });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return (await c.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      c.disconnect();
    }
  };

  const start = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const proc = spawn('redis-server', [...args, ...extraArgs], { stdio: 'ignore' });
    child = proc;
    await waitFor(`redis-server on ${port}`, ping, { timeoutMs: 10000 });
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
  };

  await start();
  return { port, url, kill, start, stop: kill };
}
