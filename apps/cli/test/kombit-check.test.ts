import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { SIMULATOR_SECTIONS, startSimulator, type Simulator } from '@cprh/simulator';
import {
  deleteAmqpQueue,
  makeDevPki,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  uniqueName,
  withAmqpChannel,
  type DevPki,
} from '@cprh/testkit';
import { runCli } from './support/run-cli';

// `cprh kombit check` against the simulator's STS and AMQP front (real mutual TLS, real RabbitMQ).
describe('cprh kombit check', () => {
  let pki: DevPki;
  let sim: Simulator;
  let base: Record<string, string>;
  const dueslag = randomUUID();

  beforeAll(async () => {
    pki = makeDevPki('12345678');
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      AMQP_URL: TEST_AMQP_URL,
      LOG_LEVEL: 'silent',
      SIM_CERTS_DIR: pki.dir,
      SIM_STS_PORT: '0',
      SIM_SOAP_PORT: '0',
      SIM_AMQP_FRONT: 'true',
      SIM_AMQP_FRONT_PORT: '0',
      SIM_DUESLAG: dueslag,
      SIM_REDIS_PREFIX: `${uniqueName('t-check')}:`,
      SIM_RATE: '0',
    };
    sim = await startSimulator(loadWorkbenchConfig(SIMULATOR_SECTIONS, env));
    base = {
      AMQP_AUTH: 'sts',
      AMQP_URL: sim.amqpFrontUrl ?? '',
      STS_URL: `${sim.stsUrl ?? ''}/runtime/api/rest/wstrust/v1/issue`,
      STS_CVR: '12345678',
      CLIENT_CERT_FILE: pki.path('client.crt'),
      CLIENT_KEY_FILE: pki.path('client.key'),
      CA_FILE: pki.path('ca.crt'),
      DUESLAG_QUEUE: dueslag,
    };
  });
  const odenseDueslag = randomUUID();
  afterAll(async () => {
    await sim.stop();
    await deleteAmqpQueue(dueslag, `${TEST_AMQP_URL}/BF`);
    await deleteAmqpQueue(odenseDueslag, `${TEST_AMQP_URL}/BF`);
    pki.remove();
  });

  const lines = (out: Buffer): string[] => out.toString('utf8').trim().split('\n');

  it('passes every step, one line each, exit 0', async () => {
    const { code, stdout } = await runCli(base, ['kombit', 'check']);
    const out = lines(stdout);
    expect(out.map((l) => l.slice(0, 16).trim())).toEqual([
      'ok   certificate',
      'ok   sts token',
      'ok   broker',
      'ok   dueslag',
    ]);
    expect(out[0]).toMatch(/CVR 12345678; valid until \d{4}-.* \(\d+ days\); key matches$/);
    expect(out[1]).toMatch(
      /token for http:\/\/entityid\.kombit\.dk\/service\/bfo_modtag\/2, subject .*CVR:12345678.*, valid \d+ s/,
    );
    expect(out[2]).toMatch(
      /connected and logged in \(TLS with the certificate, SASL EXTERNAL with the token\)$/,
    );
    expect(out[3]).toBe(`ok   dueslag      ${dueslag} exists: 0 message(s) waiting, 0 consumer(s)`);
    expect(code).toBe(0);
  });

  it('stops at the certificate when the key does not match, exit 1', async () => {
    const other = pki.makeClientCert('other', { startDays: -1, endDays: 30 });
    const { code, stdout } = await runCli({ ...base, CLIENT_KEY_FILE: other.key }, ['kombit', 'check']);
    expect(lines(stdout)).toEqual([
      `FAIL certificate  KOMBIT_CERT_KEY_MISMATCH: ${other.key} does not match the certificate in ${pki.path('client.crt')}`,
    ]);
    expect(code).toBe(1);
  });

  it('stops at the STS with its reason', async () => {
    const { code, stdout } = await runCli({ ...base, STS_CVR: '87654321' }, ['kombit', 'check']);
    expect(lines(stdout)[1]).toMatch(
      /^FAIL sts token {4}KOMBIT_STS_REFUSED: the STS answered HTTP 401: AnvenderKontekst/,
    );
    expect(lines(stdout)).toHaveLength(2);
    expect(code).toBe(1);
  });

  it('stops at the dueslag when it does not exist', async () => {
    const missing = randomUUID();
    const { code, stdout } = await runCli({ ...base, DUESLAG_QUEUE: missing }, ['kombit', 'check']);
    expect(lines(stdout)[3]).toMatch(new RegExp(`^FAIL dueslag      ${missing} is not there`));
    expect(code).toBe(1);
  });

  /**
   * Three municipalities in a TENANTS_FILE: aarhus (the dev certificate's CVR) and odense (its own
   * certificate and dueslag) pass; aalborg names a CVR its certificate does not carry, so the STS
   * refuses it. Each is checked with its own certificate, CVR and dueslag.
   */
  describe('with TENANTS_FILE', () => {
    let env: Record<string, string>;

    beforeAll(async () => {
      const odense = pki.makeClientCert('odense', { startDays: -1, endDays: 30, cvr: '35209115' });
      await withAmqpChannel(async (ch) => {
        await ch.assertQueue(odenseDueslag);
      }, `${TEST_AMQP_URL}/BF`);
      const aarhusCert = { certFile: pki.path('client.crt'), keyFile: pki.path('client.key') };
      const file = pki.path('tenants.json');
      writeFileSync(
        file,
        JSON.stringify({
          tenants: [
            { id: 'aarhus', name: 'Aarhus Kommune', cvr: '12345678', certificate: aarhusCert, dueslag },
            {
              id: 'odense',
              cvr: '35209115',
              certificate: { certFile: odense.cert, keyFile: odense.key },
              dueslag: odenseDueslag,
            },
            { id: 'aalborg', cvr: '29189420', certificate: aarhusCert, dueslag: randomUUID() },
          ],
        }),
      );
      // The deployment's way in to KOMBIT; certificate, CVR and dueslag are each municipality's.
      const { AMQP_AUTH, AMQP_URL, STS_URL, CA_FILE } = base;
      env = {
        AMQP_AUTH: AMQP_AUTH!,
        AMQP_URL: AMQP_URL!,
        STS_URL: STS_URL!,
        CA_FILE: CA_FILE!,
        TENANTS_FILE: file,
      };
    });

    it('--all: a block per municipality with its own steps, a summary, exit 1 when one failed', async () => {
      const { code, stdout } = await runCli(env, ['kombit', 'check', '--all']);
      const out = lines(stdout);
      const steps = (l: string | undefined) => (l ?? '').slice(0, 18).trim();
      expect(out.map((l) => (l.startsWith('  ') ? steps(l) : l))).toEqual([
        'aarhus (Aarhus Kommune, CVR 12345678)',
        'ok   certificate',
        'ok   sts token',
        'ok   broker',
        'ok   dueslag',
        'odense (CVR 35209115)',
        'ok   certificate',
        'ok   sts token',
        'ok   broker',
        'ok   dueslag',
        'aalborg (CVR 29189420)',
        'ok   certificate',
        'FAIL sts token',
        '2 of 3 municipalities passed; failed: aalborg',
      ]);
      expect(out[1]).toMatch(/CVR 12345678; valid until/);
      expect(out[6]).toMatch(/CVR 35209115; valid until/);
      expect(out[7]).toMatch(/subject .*CVR:35209115/);
      expect(out[9]).toBe(`  ok   dueslag      ${odenseDueslag} exists: 0 message(s) waiting, 0 consumer(s)`);
      expect(out[12]).toMatch(
        /^ {2}FAIL sts token {4}KOMBIT_STS_REFUSED: the STS answered HTTP 401: AnvenderKontekst/,
      );
      expect(code).toBe(1);
    });

    it('--tenant: that municipality alone, exit 0', async () => {
      const { code, stdout } = await runCli(env, ['--tenant', 'odense', 'kombit', 'check']);
      const out = lines(stdout);
      expect(out.map((l) => l.slice(0, 16).trim())).toEqual([
        'ok   certificate',
        'ok   sts token',
        'ok   broker',
        'ok   dueslag',
      ]);
      expect(out[0]).toMatch(/CVR 35209115; valid until/);
      expect(code).toBe(0);
    });

    it('--all with only passing municipalities exits 0; --all and --tenant together is a usage error', async () => {
      const both = await runCli(env, ['kombit', 'check', '--all', '--tenant', 'aarhus']);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/^cprh kombit: --all or --tenant, not both/);
      const single = await runCli(base, ['kombit', 'check', '--all']);
      expect(lines(single.stdout).at(-1)).toBe('1 of 1 municipality passed');
      expect(lines(single.stdout)[0]).toBe('default (CVR 12345678)');
      expect(single.code).toBe(0);
    });
  });
});
