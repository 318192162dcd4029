/**
 * End-to-end throughput: BENCH_COUNT (default 20,000) messages published with `cprh publish
 * --count` to a fresh dueslag while a real poller and worker process run; prints msgs/s from the
 * first publish to the last stream entry. Uses unique names on the local Redis and RabbitMQ and
 * removes them afterwards. Extra settings (POLLER_MODE, WORKER_CONCURRENCY, ...) pass through;
 * BENCH_WORKERS starts several worker processes.
 *
 *   pnpm --filter @cprh/worker bench
 */
import { join } from 'node:path';
import Redis from 'ioredis';
import { fixturePath, pipelineTestEnv, repoRoot, spawnTs, waitFor } from '@cprh/testkit';

const count = Number(process.env.BENCH_COUNT ?? 20000);
const workers = Number(process.env.BENCH_WORKERS ?? 1);
const passThrough = Object.fromEntries(
  Object.entries(process.env).filter(
    (e): e is [string, string] =>
      /^(POLLER_|WORKER_|JOB_|EVENTS_MAXLEN|REDIS_URL|AMQP_URL)/.test(e[0]) && e[1] !== undefined,
  ),
);

async function main(): Promise<void> {
  const t = pipelineTestEnv({ LOG_LEVEL: 'info', ...passThrough });
  const redis = new Redis(t.env.REDIS_URL ?? '');
  const poller = spawnTs(join(repoRoot, 'apps/poller/src/main.ts'), t.env);
  const workerProcs = Array.from({ length: workers }, () =>
    spawnTs(join(repoRoot, 'apps/worker/src/main.ts'), t.env),
  );
  try {
    await Promise.all([
      poller.waitForLine(/poller ready/),
      ...workerProcs.map((w) => w.waitForLine(/worker ready/)),
    ]);
    const started = Date.now();
    const publish = spawnTs(join(repoRoot, 'apps/cli/src/main.ts'), t.env, [
      'publish',
      fixturePath('beskeder/testbesked01.xml'),
      '--count',
      String(count),
    ]);
    const publishExit = await publish.waitForExit(600000);
    if (publishExit !== 0) throw new Error(`cprh publish failed: ${publish.lines.join('\n')}`);
    const published = Date.now();
    await waitFor('all events in the stream', async () => (await redis.xlen(t.stream)) >= count, {
      timeoutMs: 600000,
      intervalMs: 50,
    });
    const done = Date.now();
    const entries = await redis.xlen(t.stream);
    const seconds = (done - started) / 1000;
    const line = (k: string, v: string): void => void process.stdout.write(`${k.padEnd(28)}${v}\n`);
    line('messages', String(count));
    line('mode', t.env.POLLER_MODE ?? 'consume');
    line('worker processes', String(workers));
    line('stream entries', String(entries));
    line('publish (cprh publish)', `${((published - started) / 1000).toFixed(2)} s`);
    line('end to end', `${seconds.toFixed(2)} s`);
    line('rate', `${Math.round(count / seconds)} msgs/s`);
  } finally {
    await Promise.all([poller.stop('SIGTERM'), ...workerProcs.map((w) => w.stop('SIGTERM'))]).catch(
      () => undefined,
    );
    redis.disconnect();
    await t.cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
