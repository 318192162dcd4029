import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { inboxJobId } from '@cprh/pipeline';
import { publishToDueslag, STS_ISSUE_PATH } from '@cprh/simulator';
import {
  amqpConnectionPid,
  appMain,
  brokerMessageCount,
  closeAmqpConnection,
  deleteAmqpQueues,
  deleteKeysAt,
  freePort,
  makeDevPki,
  spawnTs,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  uniqueName,
  waitFor,
  withAmqpChannel,
  type DevPki,
  type SpawnedProcess,
} from '@cprh/testkit';
import { freshMessages, POLLER_MAIN, SAMPLE } from './support/pipeline-harness';

// Issue 20: ONE poller process for every municipality of a TENANTS_FILE, on the local RabbitMQ and
// Redis. Each tenant's messages must land in its own inbox only (`{<base>:<id>}:inbox:*`), stored
// before they are acked; a tenant that cannot start is retried on its own while the others flow.

interface TenantSpec {
  id: string;
  cvr: string;
  dueslag: string;
  settings?: Record<string, string>;
  certificate?: { certFile: string; keyFile: string };
}

interface TenantView {
  state: 'starting' | 'up' | 'down';
  reason?: string;
  attempts?: number;
}

interface Readyz {
  status: string;
  reason?: string;
  poller?: { tenants: Record<string, TenantView> };
}

/** One poller run: its TENANTS_FILE, names, process and endpoint; `cleanup` removes all of it. */
class TenantsRun {
  readonly base = uniqueName('t');
  readonly dir = mkdtempSync(join(tmpdir(), 'cprh-tenants-'));
  readonly redis = new Redis(TEST_REDIS_URL);
  proc: SpawnedProcess | undefined;
  metricsPort = 0;
  private readonly inboxes: Queue[] = [];

  constructor(readonly tenants: TenantSpec[]) {}

  dueslagOf(id: string): string {
    return `${this.base}-${id}-dueslag`;
  }

  /** Writes TENANTS_FILE (start does too) and returns its path, for a simulator that serves the same tenants. */
  writeFile(): string {
    const file = join(this.dir, 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: this.tenants.map((t) => ({
          id: t.id,
          cvr: t.cvr,
          dueslag: t.dueslag,
          ...(t.settings ? { settings: t.settings } : {}),
          ...(t.certificate ? { certificate: t.certificate } : {}),
        })),
      }),
    );
    return file;
  }

  async start(extra: Record<string, string> = {}): Promise<SpawnedProcess> {
    const file = this.writeFile();
    this.metricsPort = await freePort();
    this.proc = spawnTs(POLLER_MAIN, {
      TENANTS_FILE: file,
      REDIS_URL: TEST_REDIS_URL,
      AMQP_URL: TEST_AMQP_URL,
      QUEUE_PREFIX: this.base,
      EVENTS_STREAM: `${this.base}:events`,
      POLLER_RETRY_MIN_MS: '100',
      POLLER_RETRY_MAX_MS: '1000',
      POLLER_BATCH_SIZE: '20',
      POLLER_PREFETCH: '40',
      METRICS_PORT: String(this.metricsPort),
      LOG_LEVEL: 'info',
      ...extra,
    });
    await this.proc.waitForLine(/poller ready/, 60_000);
    return this.proc;
  }

  /** The tenant's inbox, as the worker of that tenant reads it. */
  inbox(id: string): Queue {
    const q = new Queue('inbox', { connection: this.redis, prefix: `{${this.base}:${id}}` });
    this.inboxes.push(q);
    return q;
  }

  async inboxIds(id: string): Promise<Set<string>> {
    const jobs = await this.inbox(id).getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    return new Set(jobs.map((j) => j.id ?? ''));
  }

  async readyz(): Promise<{ code: number; body: Readyz }> {
    const res = await fetch(`http://127.0.0.1:${this.metricsPort}/readyz`);
    return { code: res.status, body: (await res.json()) as Readyz };
  }

  async metric(name: string, tenant: string): Promise<number | undefined> {
    const text = await (await fetch(`http://127.0.0.1:${this.metricsPort}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`tenant="${tenant}"`));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  linesOf(id: string, msg: string): string[] {
    return (this.proc?.lines ?? []).filter((l) => l.includes(`"tenant":"${id}"`) && l.includes(msg));
  }

  async cleanup(amqpUrl = TEST_AMQP_URL): Promise<void> {
    await this.proc?.stop('SIGTERM', 20_000).catch(() => undefined);
    for (const q of this.inboxes) await q.close().catch(() => undefined);
    await deleteAmqpQueues(
      this.tenants.map((t) => t.dueslag),
      amqpUrl,
    );
    await deleteKeysAt(TEST_REDIS_URL, `{${this.base}:`);
    await deleteKeysAt(TEST_REDIS_URL, this.base);
    this.redis.disconnect();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const CPR_NUMBERS = [...new Set(SAMPLE.match(/\d{10}/g) ?? [])];

function expectNoSecrets(lines: readonly string[]): void {
  const out = lines.join('\n');
  expect(CPR_NUMBERS.length).toBeGreaterThan(0);
  for (const cpr of CPR_NUMBERS) expect(out).not.toContain(cpr);
  expect(out).not.toContain('guest:guest');
}

function spec(
  run: { dueslagOf(id: string): string },
  id: string,
  cvr: string,
  settings?: Record<string, string>,
): TenantSpec {
  return { id, cvr, dueslag: run.dueslagOf(id), ...(settings ? { settings } : {}) };
}

describe('one poller process, three tenants (TENANTS_FILE)', () => {
  let run: TenantsRun | undefined;
  afterEach(async () => {
    await run?.cleanup();
    run = undefined;
  });

  it("each tenant's messages land in its own inbox only, and none is acked before it is stored", async () => {
    const r = (run = new TenantsRun([]));
    r.tenants.push(spec(r, 'a', '11111111'), spec(r, 'b', '22222222'), spec(r, 'c', '33333333'));
    const proc = await r.start();
    const sent = new Map<string, string[]>();
    const N = 600;
    for (const t of r.tenants) {
      const { bodies } = freshMessages(N);
      sent.set(
        t.id,
        bodies.map((b) => inboxJobId(b).jobId),
      );
      await publishToDueslag(bodies, { url: TEST_AMQP_URL, queue: t.dueslag });
    }
    // While the backlogs drain: what the broker no longer holds (acked) is already in the inbox.
    // The broker is asked first, the inbox after: an ack before the store would show as more gone than stored.
    let samples = 0;
    for (;;) {
      let allIn = true;
      for (const t of r.tenants) {
        const gone = N - (await brokerMessageCount(t.dueslag));
        const stored = (await r.inboxIds(t.id)).size;
        expect(stored).toBeGreaterThanOrEqual(gone);
        if (gone < N) allIn = false;
      }
      samples += 1;
      if (allIn) break;
      if (samples > 120) throw new Error('the backlogs did not drain within 120 rounds');
    }
    for (const t of r.tenants) {
      const own = sent.get(t.id) ?? [];
      const ids = await r.inboxIds(t.id);
      expect(ids.size).toBe(N);
      expect(own.every((id) => ids.has(id))).toBe(true);
      for (const other of r.tenants.filter((o) => o.id !== t.id)) {
        const theirs = sent.get(other.id) ?? [];
        expect(theirs.some((id) => ids.has(id))).toBe(false);
      }
      expect(await r.metric('cprh_tenant_up', t.id)).toBe(1);
      expect(await r.metric('cprh_messages_acked_upstream_total', t.id)).toBe(N);
    }
    // Nothing landed under the bare prefix or another name: only the three tenants' tags.
    const stray = await r.redis.keys(`${r.base}*`);
    expect(stray).toEqual([]);
    const ready = await r.readyz();
    expect(ready.code).toBe(200);
    expect(
      Object.fromEntries(Object.entries(ready.body.poller?.tenants ?? {}).map(([k, v]) => [k, v.state])),
    ).toEqual({
      a: 'up',
      b: 'up',
      c: 'up',
    });
    // No CPR number of the messages, no password in anything the process printed.
    expectNoSecrets(proc.lines);
  }, 180_000);

  it('a tenant whose dueslag is missing is retried with backoff and reported while the others flow; it flows once the queue is there', async () => {
    const r = (run = new TenantsRun([]));
    r.tenants.push(
      spec(r, 'a', '11111111'),
      spec(r, 'b', '22222222'),
      // KOMBIT's broker owns its queues: this tenant only checks for its dueslag, which is not there.
      spec(r, 'late', '33333333', { POLLER_DECLARE_QUEUE: 'false' }),
    );
    const proc = await r.start();
    // The others flow.
    for (const id of ['a', 'b']) {
      const { bodies } = freshMessages(50);
      await publishToDueslag(bodies, { url: TEST_AMQP_URL, queue: r.dueslagOf(id) });
      await waitFor(`50 in ${id}'s inbox`, async () => (await r.inboxIds(id)).size === 50, {
        timeoutMs: 30_000,
      });
    }
    // Reported: readyz per tenant, the metric, one log line however many attempts.
    await waitFor(
      'several attempts of the missing tenant',
      async () => ((await r.readyz()).body.poller?.tenants?.late?.attempts ?? 0) >= 4,
      { timeoutMs: 30_000 },
    );
    const ready = await r.readyz();
    expect(ready.code).toBe(200);
    expect(ready.body.poller?.tenants?.a?.state).toBe('up');
    expect(ready.body.poller?.tenants?.b?.state).toBe('up');
    expect(ready.body.poller?.tenants?.late?.state).toBe('down');
    expect(ready.body.poller?.tenants?.late?.reason).toMatch(/^KOMBIT_DUESLAG_UNAVAILABLE: /);
    expect(await r.metric('cprh_tenant_up', 'late')).toBe(0);
    expect(await r.metric('cprh_tenant_up', 'a')).toBe(1);
    expect(r.linesOf('late', 'tenant down')).toHaveLength(1);
    expect(proc.child.exitCode).toBeNull();

    // The queue appears (KOMBIT set the subscription up): the next attempt finds it and the tenant flows.
    await withAmqpChannel(async (ch) => {
      await ch.assertQueue(r.dueslagOf('late'), { durable: true });
    });
    const { bodies } = freshMessages(30);
    await publishToDueslag(bodies, { url: TEST_AMQP_URL, queue: r.dueslagOf('late'), declareQueue: false });
    await waitFor('30 in the late inbox', async () => (await r.inboxIds('late')).size === 30, {
      timeoutMs: 30_000,
    });
    await waitFor('the late tenant up', async () => (await r.metric('cprh_tenant_up', 'late')) === 1);
    expect((await r.readyz()).body.poller?.tenants?.late?.state).toBe('up');
    expect(r.linesOf('late', 'tenant flowing again')).toHaveLength(1);
    // Its messages went to its own inbox only.
    expect((await r.inboxIds('a')).size).toBe(50);
    expect((await r.inboxIds('b')).size).toBe(50);
  }, 120_000);

  it("a tenant whose connection the broker closes starts over on its own; the other tenant's connection is not touched", async () => {
    const r = (run = new TenantsRun([]));
    r.tenants.push(
      spec(r, 'a', '11111111'),
      spec(r, 'b', '22222222', { POLLER_MODE: 'poll', POLLER_POLL_INTERVAL_SECONDS: '1' }),
    );
    await r.start();
    const pidOf = (id: string): Promise<string | undefined> =>
      amqpConnectionPid(`cprh-poller ${id} ${r.dueslagOf(id)}`);
    const aPid = await waitFor('a connection of a', () => pidOf('a'));
    const bPid = await waitFor('a connection of b', () => pidOf('b'));
    await closeAmqpConnection(bPid, 'test closes one tenant');
    await waitFor('b flowing again', () => r.linesOf('b', 'tenant flowing again').length === 1, {
      timeoutMs: 30_000,
    });
    expect(r.linesOf('b', 'tenant down')).toHaveLength(1);
    expect(r.linesOf('a', 'tenant down')).toHaveLength(0);
    expect(await pidOf('a')).toBe(aPid);
    expect(await pidOf('b')).not.toBe(bPid);
    for (const id of ['a', 'b']) {
      const { bodies } = freshMessages(25);
      await publishToDueslag(bodies, { url: TEST_AMQP_URL, queue: r.dueslagOf(id) });
      await waitFor(`25 in ${id}'s inbox`, async () => (await r.inboxIds(id)).size === 25, {
        timeoutMs: 30_000,
      });
    }
    expect(await r.metric('cprh_amqp_reconnects_total', 'b')).toBe(1);
    expect(await r.metric('cprh_amqp_reconnects_total', 'a')).toBeUndefined();
  }, 120_000);

  it('a wrong TENANTS_FILE stops the start with one line per mistake', async () => {
    const r = (run = new TenantsRun([]));
    r.tenants.push(spec(r, 'a', '11111111'), spec(r, 'b', '1234'), spec(r, 'a', '33333333'));
    const file = join(r.dir, 'tenants.json');
    writeFileSync(file, JSON.stringify({ tenants: r.tenants }));
    const p = spawnTs(POLLER_MAIN, { TENANTS_FILE: file, QUEUE_PREFIX: r.base, REDIS_URL: TEST_REDIS_URL });
    expect(await p.waitForExit()).toBe(1);
    expect(p.stderrLines.length).toBeGreaterThanOrEqual(2);
    for (const line of p.stderrLines) expect(line).toMatch(/^poller: CONFIG_INVALID: .*TENANTS_FILE/);
    expect(p.stderrLines.join('\n')).toMatch(/tenants\[1\] \(b\)\.cvr/);
  });
});

describe('one poller process, two tenants logging in through STS (simulator STS + AMQP front)', () => {
  const BF_URL = `${TEST_AMQP_URL}/BF`;
  let run: TenantsRun | undefined;
  let sim: SpawnedProcess | undefined;
  let pki: DevPki | undefined;
  const simDueslag = randomUUID();

  afterEach(async () => {
    await run?.cleanup(BF_URL);
    await sim?.stop('SIGTERM', 20_000).catch(() => undefined);
    await deleteAmqpQueues([simDueslag], BF_URL);
    await deleteAmqpQueues([simDueslag]);
    if (run) await deleteKeysAt(TEST_REDIS_URL, `${run.base}:sim:`);
    pki?.remove();
    run = undefined;
    sim = undefined;
  });

  it("each tenant gets its own token for its own CVR; an STS 500 and a missing certificate file are retried until they pass; one tenant's certificate is rotated without touching the other", async () => {
    pki = makeDevPki('12345678');
    const r = (run = new TenantsRun([]));
    const ports = { sts: await freePort(), front: await freePort() };
    const viaSim = {
      AMQP_AUTH: 'sts',
      AMQP_URL: `amqps://127.0.0.1:${ports.front}/BF`,
      STS_URL: `https://127.0.0.1:${ports.sts}${STS_ISSUE_PATH}`,
      CA_FILE: pki.files.ca,
      STS_REFRESH_MARGIN_SECONDS: '5',
    };
    const cvrs = { a: '11111111', b: '22222222', late: '33333333' } as const;
    const certs = {
      a: pki.makeClientCert('tenant-a', { startDays: -1, endDays: 365, cvr: cvrs.a }),
      b: pki.makeClientCert('tenant-b', { startDays: -1, endDays: 365, cvr: cvrs.b }),
    };
    const lateCert = { cert: join(r.dir, 'late.crt'), key: join(r.dir, 'late.key') };
    const withCert = (t: TenantSpec, c: { cert: string; key: string }): TenantSpec => ({
      ...t,
      certificate: { certFile: c.cert, keyFile: c.key },
    });
    r.tenants.push(
      withCert(spec(r, 'a', cvrs.a, viaSim), certs.a),
      withCert(spec(r, 'b', cvrs.b, viaSim), certs.b),
      withCert(spec(r, 'late', cvrs.late, viaSim), lateCert),
    );
    // The simulator serves the same TENANTS_FILE: its AMQP front opens a dueslag only to a token of
    // the dueslag's own CVR, so a tenant that flows logged in for its own CVR.
    sim = spawnTs(appMain('simulator'), {
      REDIS_URL: TEST_REDIS_URL,
      AMQP_URL: TEST_AMQP_URL,
      TENANTS_FILE: r.writeFile(),
      SIM_RATE: '0',
      SIM_DUESLAG: simDueslag,
      SIM_REDIS_PREFIX: `${r.base}:sim:`,
      SIM_STS_PORT: String(ports.sts),
      SIM_SOAP_PORT: '0',
      SIM_AMQP_FRONT: 'true',
      SIM_AMQP_FRONT_PORT: String(ports.front),
      SIM_CERTS_DIR: pki.dir,
      SIM_TOKEN_LIFETIME_S: '20',
      // The STS's first answer is a 500: whichever of a and b asks first is down once, then retried.
      SIM_STS_FAIL_FIRST: '1',
      LOG_LEVEL: 'info',
    });
    await sim.waitForLine(/simulator ready/, 60_000);
    // KOMBIT's broker owns the dueslag queues: they exist before the poller comes.
    const sent = new Map<string, string[]>();
    for (const t of r.tenants) {
      const { bodies } = freshMessages(40);
      sent.set(
        t.id,
        bodies.map((b) => inboxJobId(b).jobId),
      );
      await publishToDueslag(bodies, { url: BF_URL, queue: t.dueslag, declareQueue: true });
    }
    const proc = await r.start({ POLLER_CERT_CHECK_SECONDS: '1' });
    for (const id of ['a', 'b']) {
      await waitFor(`40 in ${id}'s inbox`, async () => (await r.inboxIds(id)).size === 40, {
        timeoutMs: 30_000,
      });
    }
    // Each login at the front carried a token for the tenant's own CVR (the front checks it is the certificate's).
    const logins = (cvr: string): number =>
      sim?.lines.filter((l) => l.includes('login accepted') && l.includes(`"cvr":"${cvr}"`)).length ?? 0;
    expect(logins(cvrs.a)).toBeGreaterThanOrEqual(1);
    expect(logins(cvrs.b)).toBeGreaterThanOrEqual(1);
    expect(logins(cvrs.late)).toBe(0);
    const stsDown = ['a', 'b'].flatMap((id) => r.linesOf(id, 'tenant down'));
    expect(stsDown).toHaveLength(1);
    expect(stsDown[0]).toContain('KOMBIT_STS_FAILED');
    expect(['a', 'b'].flatMap((id) => r.linesOf(id, 'tenant flowing again'))).toHaveLength(1);
    const down = (await r.readyz()).body.poller?.tenants?.late;
    expect(down?.state).toBe('down');
    expect(down?.reason).toMatch(/^KOMBIT_CERT_UNREADABLE: /);
    expect(await r.metric('cprh_tenant_up', 'late')).toBe(0);
    expect(r.linesOf('late', 'tenant down')).toHaveLength(1);

    // The municipality's certificate arrives: the next attempt reads it and the tenant flows.
    const made = pki.makeClientCert('tenant-late', { startDays: -1, endDays: 365, cvr: cvrs.late });
    copyFileSync(made.key, lateCert.key);
    copyFileSync(made.cert, lateCert.cert);
    await waitFor("40 in late's inbox", async () => (await r.inboxIds('late')).size === 40, {
      timeoutMs: 30_000,
    });
    expect(logins(cvrs.late)).toBeGreaterThanOrEqual(1);
    for (const t of r.tenants) {
      const ids = await r.inboxIds(t.id);
      expect((sent.get(t.id) ?? []).every((id) => ids.has(id))).toBe(true);
      expect(ids.size).toBe(40);
    }
    expect(r.linesOf('late', 'tenant flowing again')).toHaveLength(1);
    // Rotation of one municipality's certificate: an unusable file is refused and a keeps flowing on
    // the one it has; a usable one is logged in with at once; b is not touched either time.
    writeFileSync(certs.a.cert, 'not a certificate');
    await waitFor(
      'the bad replacement refused',
      () => r.linesOf('a', 'replaced certificate is not usable').length >= 1,
    );
    const rotated = pki.makeClientCert('tenant-a2', { startDays: -1, endDays: 400, cvr: cvrs.a });
    const loginsBefore = logins(cvrs.a);
    copyFileSync(rotated.key, certs.a.key);
    copyFileSync(rotated.cert, certs.a.cert);
    await waitFor(
      'a logged in with the new certificate',
      () => r.linesOf('a', 'certificate replaced').length === 1,
    );
    await waitFor('a new login of a', () => logins(cvrs.a) > loginsBefore);
    const more = freshMessages(20);
    await publishToDueslag(more.bodies, { url: BF_URL, queue: r.dueslagOf('a'), declareQueue: false });
    await waitFor("60 in a's inbox", async () => (await r.inboxIds('a')).size === 60, { timeoutMs: 30_000 });
    // Neither went down for the rotation (the one line is the STS 500 at the start).
    expect(['a', 'b'].flatMap((id) => r.linesOf(id, 'tenant down'))).toHaveLength(1);
    expect(r.linesOf('b', 'certificate replaced')).toHaveLength(0);
    expect(r.linesOf('b', 'replaced certificate')).toHaveLength(0);

    // Tokens are renewed per tenant on their own (20 s tokens, renewed 5 s before expiry).
    await waitFor(
      'a renewal of a and of b',
      () => ['a', 'b'].every((id) => r.linesOf(id, 'AMQP connection renewed with a fresh token').length >= 1),
      { timeoutMs: 40_000 },
    );
    expectNoSecrets(proc.lines);
    expect(proc.lines.join('\n')).not.toMatch(/BEGIN|PRIVATE KEY|SignatureValue/);
  }, 180_000);
});
