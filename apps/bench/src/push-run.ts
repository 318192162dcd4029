/**
 * Pushes per second: the receiver (apps/receiver) as its own process on a private Redis (AOF
 * everysec), and a client in another process (push-client-main.ts) pushing over keep-alive HTTPS
 * with a client certificate, as KOMBIT's push does. A push counts when it was answered 20, which
 * the receiver does only after Redis took the inbox write. `pnpm bench` puts it beside the pull
 * figure (the poller's drain); alone: `pnpm --filter @cprh/bench run push [pushes] [connections]`
 * (BENCH_CPU_PROF=<dir> profiles the receiver).
 */
import { join } from 'node:path';
import { makeDevPki, repoRoot, spawnTs } from '@cprh/testkit';
import { MeasuredProcess, runNames } from './pipeline-processes';
import { startBenchRedis } from './private-redis';

export interface PushRunResult {
  pushes: number;
  connections: number;
  seconds: number;
  perSecond: number;
  /** Client-side answer time of a push (ms). */
  p50: number;
  p99: number;
  bodyBytes: number;
  /** CPU per push: the receiver process, Redis, and the client (not ours, shown for the budget). */
  receiverCpuMsPerPush: number;
  redisCpuMsPerPush: number;
  clientCpuMsPerPush: number;
  /** Inbox jobs after the run: every answered push is in the inbox once. */
  inboxJobs: number;
}

interface ClientFigures {
  pushes: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  bodyBytes: number;
  clientCpuMsPerPush: number;
}

const CLIENT = join(__dirname, 'push-client-main.ts');
const RECEIVER_MAIN = join(repoRoot, 'apps', 'receiver', 'src', 'main.ts');

export async function pushRun(pushes: number, connections: number): Promise<PushRunResult> {
  const names = runNames();
  const redis = await startBenchRedis('everysec');
  const pki = makeDevPki();
  const prof = process.env.BENCH_CPU_PROF;
  const rx = new MeasuredProcess(
    'receiver',
    spawnTs(
      RECEIVER_MAIN,
      {
        REDIS_URL: redis.url,
        QUEUE_PREFIX: names.prefix,
        EVENTS_STREAM: names.stream,
        LOG_LEVEL: 'info',
        RECEIVER_ENABLED: 'true',
        RECEIVER_PORT: '0',
        RECEIVER_TLS_CERT_FILE: pki.path('server.crt'),
        RECEIVER_TLS_KEY_FILE: pki.path('server.key'),
        RECEIVER_CLIENT_CA_FILE: pki.path('ca.crt'),
        RECEIVER_MAX_IN_FLIGHT: String(connections * 2),
      },
      [],
      prof
        ? ['--cpu-prof', `--cpu-prof-dir=${prof}`, `--cpu-prof-name=receiver-${Date.now()}.cpuprofile`]
        : [],
    ),
  );
  try {
    const listening = await rx.proc.waitForLine(/"msg":"receiver listening"/, 60000);
    const url = (JSON.parse(listening) as { url: string }).url;
    rx.mark();
    const redisCpu0 = await redis.cpuMs();
    const client = spawnTs(CLIENT, {}, [url, pki.dir, String(pushes), String(connections)]);
    const line = await client.waitForLine(/^\{"pushes"/, 600000);
    await client.stop('SIGTERM').catch(() => undefined);
    const f = JSON.parse(line) as ClientFigures;
    // The receiver's and Redis's CPU include the client's warm-up pushes: per push of all sent.
    const sent = pushes;
    const rxCpu = rx.cpuSinceMark();
    return {
      pushes: f.pushes,
      connections,
      seconds: f.seconds,
      perSecond: f.perSecond,
      p50: f.p50,
      p99: f.p99,
      bodyBytes: f.bodyBytes,
      receiverCpuMsPerPush: (rxCpu.userMs + rxCpu.sysMs) / sent,
      redisCpuMsPerPush: ((await redis.cpuMs()) - redisCpu0) / sent,
      clientCpuMsPerPush: f.clientCpuMsPerPush,
      inboxJobs: await redis.client.llen(`${names.prefix}:inbox:wait`),
    };
  } finally {
    await rx.proc.stop('SIGTERM').catch(() => undefined);
    await redis.stop();
    pki.remove();
  }
}

if (require.main === module) {
  pushRun(Number(process.argv[2] ?? 10000), Number(process.argv[3] ?? 20))
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'))
    .catch((err: unknown) => {
      process.stderr.write(`push: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
