import { peekBeskedId } from '@cprh/besked';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  deleteAmqpQueue,
  deleteKeysWithPrefix,
  readFixture,
  spawnTs,
  uniqueName,
  waitFor,
  withAmqpChannel,
  type SpawnedProcess,
} from '@cprh/testkit';
import { APP_ENTRIES, argv, service, serviceEnv, sourceOfBundle } from './compose-file';

/**
 * The next best thing to `docker compose up` without a Docker engine: each app service's own
 * command, with the environment docker-compose.yml gives it, run from the repo root (the image's
 * WORKDIR). Only what must differ on a shared machine is changed: the service host names point at
 * this machine, and names, ports and the certificates folder are unique to this run.
 */

const REDIS_HOST_URL = 'redis://127.0.0.1:6379';
const AMQP_HOST_URL = 'amqp://guest:guest@127.0.0.1:5672';
/** The vhost the simulator's AMQP front relays to, as KOMBIT's broker has it. */
const AMQP_BF_URL = `${AMQP_HOST_URL}/BF`;
const BOARD_PASSWORD = 'compose-stack-test';

const prefix = uniqueName('t-compose');
const dueslag = randomUUID();
const stream = `${prefix}:events`;
const certsDir = mkdtempSync(join(tmpdir(), 'cprh-compose-certs-'));
const isolation: Record<string, string> = {
  QUEUE_PREFIX: prefix,
  EVENTS_STREAM: stream,
  DUESLAG_QUEUE: dueslag,
  SIM_DUESLAG: dueslag,
  SIM_REDIS_PREFIX: `${prefix}:sim:`,
  SIM_STS_PORT: '0',
  SIM_SOAP_PORT: '0',
  SIM_AMQP_FRONT_PORT: '0',
  SIM_CERTS_DIR: certsDir,
  BOARD_PORT: '0',
  METRICS_PORT: '0',
  METRICS_HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
};

/** Where the simulator's STS and AMQP front listen in this run (free ports, from its log). */
const simulatorAt = { sts: '', amqpFront: '' };

/**
 * The compose service host names and paths, pointed at this machine: Redis and RabbitMQ on
 * their usual ports, the simulator's servers on the ports it picked, its dev PKI in certsDir.
 */
function onThisMachine(value: string): string {
  return value
    .replace('redis://redis:6379', REDIS_HOST_URL)
    .replace('amqp://guest:guest@rabbitmq:5672', AMQP_HOST_URL)
    .replace(/^amqps:\/\/simulator:5671/, simulatorAt.amqpFront)
    .replace(/^https:\/\/simulator:8443/, simulatorAt.sts)
    .replace(/^\/app\/certs\/dev\//, `${certsDir}/`);
}

/** The environment compose gives `name`, with the service hosts pointed at this machine. */
function composeEnv(name: string): Record<string, string> {
  const env = serviceEnv(name, { BOARD_PASSWORD }, join(certsDir, 'secrets'));
  expect(env.REDIS_URL).toBe('redis://redis:6379');
  const local = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, onThisMachine(v)]));
  // Nothing may still name a compose host: it would not resolve here.
  expect(Object.values(local).filter((v) => /\/\/(redis|rabbitmq|simulator)[:/]/.test(v))).toEqual([]);
  return { ...local, ...isolation };
}

function startService(name: string): SpawnedProcess {
  const cmd = argv(service(name).command);
  // `node --enable-source-maps apps/<app>/dist/main.js`: here its TypeScript entry, through tsx
  // (deploy/compose-test.sh runs the compiled bundles in the image).
  expect(cmd.slice(0, 2)).toEqual(['node', '--enable-source-maps']);
  return spawnTs(join(__dirname, '..', '..', '..', sourceOfBundle(cmd[2] ?? '')), composeEnv(name));
}

/** BeskedIds of the stream's entries (the `id` field), in stream order. */
async function streamIds(redis: Redis): Promise<string[]> {
  return (await redis.xrange(stream, '-', '+')).map(([, f]) => f[f.indexOf('id') + 1] ?? '');
}

describe('the compose services, run as compose would run them', () => {
  const redis = new Redis(REDIS_HOST_URL);
  const running = new Map<string, SpawnedProcess>();

  afterAll(async () => {
    for (const p of running.values()) await p.stop('SIGKILL').catch(() => undefined);
    await deleteKeysWithPrefix(redis, prefix);
    await deleteAmqpQueue(dueslag, AMQP_BF_URL);
    redis.disconnect();
    rmSync(certsDir, { recursive: true, force: true });
  });

  it('starts simulator, worker, poller and board; the poller logs in through the STS and the AMQP front, and messages on the dueslag reach the stream once each', async () => {
    // compose starts the simulator first (the poller depends on it being healthy).
    const sim = startService('simulator');
    running.set('simulator', sim);
    const started = JSON.parse(await sim.waitForLine(/"msg":"simulator started"/, 30_000)) as {
      sts: string;
      amqpFront: string;
    };
    simulatorAt.sts = started.sts.replace('0.0.0.0', '127.0.0.1');
    simulatorAt.amqpFront = started.amqpFront.replace('0.0.0.0', '127.0.0.1').replace(/\/BF$/, '');
    await sim.waitForLine(/"msg":"simulator ready"/, 30_000);
    for (const name of ['worker', 'poller', 'board']) {
      const p = startService(name);
      running.set(name, p);
      await p.waitForLine(new RegExp(`"msg":"${name} ready"`), 30_000);
    }
    // The poller came in the way KOMBIT's broker is reached: a token from the STS, then EXTERNAL.
    await running.get('poller')!.waitForLine(/"msg":"sts: token issued"/);

    // Samples 01 and 03 share a BeskedId: three messages, two events (exactly once). The
    // simulator's demo feed fills the same dueslag, so the fixtures are counted by id.
    const fixtures = ['testbesked01.xml', 'testbesked02.xml', 'testbesked03.xml'].map((f) =>
      readFixture(`beskeder/${f}`),
    );
    const ids = [...new Set(fixtures.map((x) => peekBeskedId(x) ?? ''))];
    expect(ids).toHaveLength(2);
    await withAmqpChannel(async (ch) => {
      await ch.assertQueue(dueslag, { durable: true });
      for (const xml of fixtures) {
        ch.sendToQueue(dueslag, Buffer.from(xml), { persistent: true, messageId: randomUUID() });
      }
      // A round trip on the same channel: the broker has taken the publishes before we close.
      await ch.checkQueue(dueslag);
    }, AMQP_BF_URL);
    const seen = (all: string[]) => ids.map((id) => all.filter((x) => x === id).length);
    await waitFor(
      'both fixture events in the stream',
      async () => seen(await streamIds(redis)).every((n) => n > 0),
      {
        timeoutMs: 30_000,
      },
    );
    expect(seen(await streamIds(redis))).toEqual([1, 1]);

    // The board (bound to 0.0.0.0 as in the container, so with credentials) reports the stream.
    const urlLine = await running.get('board')!.waitForLine(/"url":"http/);
    const url = (JSON.parse(urlLine) as { url: string }).url.replace('0.0.0.0', '127.0.0.1');
    const metrics = await fetch(`${url}metrics`, {
      headers: { authorization: `Basic ${Buffer.from(`ops:${BOARD_PASSWORD}`).toString('base64')}` },
    });
    expect(metrics.status).toBe(200);
    // A deployment without TENANTS_FILE labels its one municipality `default`.
    const length =
      /^cprh_events_stream_length\{(?=[^}]*tenant="default")[^}]*stream="([^"]+)"[^}]*\} (\d+)$/m.exec(
        await metrics.text(),
      );
    expect(length?.[1]).toBe(stream);
    expect(Number(length?.[2])).toBeGreaterThanOrEqual(2);
    expect((await fetch(`${url}metrics`)).status).toBe(401);

    // Poller and worker serve their own metrics on METRICS_PORT (0 here: a free port each).
    const own = async (name: string): Promise<string> => {
      const line = await running.get(name)!.waitForLine(/"metricsUrl":"http/);
      return (await fetch(`${(JSON.parse(line) as { metricsUrl: string }).metricsUrl}metrics`)).text();
    };
    const acked = /^cprh_messages_acked_upstream_total\{channel="pull",tenant="default"\} (\d+)$/m.exec(
      await own('poller'),
    );
    expect(Number(acked?.[1])).toBeGreaterThanOrEqual(3);
    expect(await own('worker')).toMatch(/^cprh_events_dispatched_total\{event="foedsel",tenant="default"\} [1-9]/m);
  });

  it("the simulator's demo events flow through to the stream", async () => {
    expect(existsSync(join(__dirname, '..', '..', '..', APP_ENTRIES.simulator ?? ''))).toBe(true);
    const fixtureIds = new Set(
      ['testbesked01.xml', 'testbesked02.xml'].map((f) => peekBeskedId(readFixture(`beskeder/${f}`))),
    );
    await waitFor(
      'a simulator event in the stream',
      async () => (await streamIds(redis)).some((id) => !fixtureIds.has(id)),
      { timeoutMs: 45_000 },
    );
  });

  it('adds the push receiver: a push over mutual TLS is answered 20 and reaches the stream', async () => {
    // The simulator made the dev PKI in certsDir; the compose defaults point into its volume instead.
    const tlsEnv = {
      RECEIVER_PORT: '0',
      RECEIVER_TLS_CERT_FILE: join(certsDir, 'server.crt'),
      RECEIVER_TLS_KEY_FILE: join(certsDir, 'server.key'),
      RECEIVER_CLIENT_CA_FILE: join(certsDir, 'ca.crt'),
    };
    const cmd = argv(service('receiver').command);
    const p = spawnTs(join(__dirname, '..', '..', '..', sourceOfBundle(cmd[2] ?? '')), {
      ...composeEnv('receiver'),
      ...tlsEnv,
    });
    running.set('receiver', p);
    await p.waitForLine(/"msg":"receiver ready"/, 30_000);
    const line = await p.waitForLine(/"msg":"receiver listening"/);
    const url = new URL((JSON.parse(line) as { url: string }).url);
    const pushedId = randomUUID();
    const body = readFixture('beskeder/exttest-sf1601-push.success.xml').replace(
      /(<ns2:BeskedId>\s*<UUIDIdentifikator>)[^<]+/,
      `$1${pushedId}`,
    );
    const answer = await new Promise<{ status: number; text: string }>((resolvePush, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/xml' },
          ca: readFileSync(join(certsDir, 'ca.crt')),
          cert: readFileSync(join(certsDir, 'client.crt')),
          key: readFileSync(join(certsDir, 'client.key')),
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => resolvePush({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<sd:StatusKode>20</sd:StatusKode>');
    // The simulator's pull feed fills the stream too: look for this very BeskedId.
    await waitFor('the pushed event in the stream', async () => (await streamIds(redis)).includes(pushedId), {
      timeoutMs: 30_000,
    });
  });

  it('stops every service with exit code 0 on SIGTERM', async () => {
    for (const [name, p] of [...running.entries()].reverse()) {
      expect([name, await p.stop('SIGTERM', 30_000)]).toEqual([name, 0]);
    }
    running.clear();
  });
});
