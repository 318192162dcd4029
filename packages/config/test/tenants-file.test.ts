import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTenants, parseTenantsFile, selectTenants, tenantEnvironments, TenantsFileError } from '../src';

const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof TenantsFileError) return err.problems;
    throw err;
  }
  throw new Error('expected a TenantsFileError');
};

describe('TENANTS_FILE', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cprh-tenants-'));
    writeFileSync(join(dir, 'a.pass'), 'secret-a\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const yaml = `
tenants:
  - id: aarhus
    name: Aarhus Kommune
    cvr: "55133018"
    dueslag: 0b3c6c43-0a4e-4e7b-8e0a-000000000001
    certificate: { p12File: /certs/aarhus.p12, passwordFile: PASS }
    routes: foedsel=cpr:events:foedsel
    settings: { POLLER_PREFETCH: 50, POLLER_BATCH_SIZE: 50, DEAD_LETTER_MAX_AGE_SECONDS: 86400 }
  - id: odense
    cvr: 35209115
    dueslag: 0b3c6c43-0a4e-4e7b-8e0a-000000000002
`;

  it('reads YAML and JSON; each tenant gets its own names, CVR, dueslag, certificate and push path', () => {
    const file = join(dir, 't.yaml');
    writeFileSync(file, yaml.replace('PASS', join(dir, 'a.pass')));
    const env = {
      TENANTS_FILE: file,
      CLIENT_CERT_P12_FILE: '/certs/shared.p12',
      ROUTES: 'doedsfald=cpr:events:doed',
      RECEIVER_PATH: '/push',
    };
    const tenants = loadTenants(['pipeline', 'poller', 'amqp', 'clientCert', 'receiver'], env);
    expect(tenants.map((t) => [t.id, t.name, t.cvr])).toEqual([
      ['aarhus', 'Aarhus Kommune', '55133018'],
      ['odense', undefined, '35209115'],
    ]);
    const [a, o] = tenants;
    expect(a!.config.pipeline.eventsStream).toBe('cpr:events:{cprh:aarhus}');
    expect(a!.config.pipeline.routes.map((r) => r.stream)).toEqual(['cpr:events:foedsel:{cprh:aarhus}']);
    // Routes default to the deployment's; a certificate is never inherited from it.
    expect(o!.config.pipeline.routes.map((r) => r.stream)).toEqual(['cpr:events:doed:{cprh:odense}']);
    expect(a!.config.clientCert.source).toEqual({
      kind: 'p12',
      p12File: '/certs/aarhus.p12',
      password: 'secret-a',
    });
    expect(o!.config.clientCert.source).toBeUndefined();
    expect(a!.config.amqp.sts.cvr).toBe('55133018');
    expect(a!.config.poller.dueslagQueue).toBe('0b3c6c43-0a4e-4e7b-8e0a-000000000001');
    expect(a!.config.poller.prefetch).toBe(50);
    expect(o!.config.poller.prefetch).toBe(200);
    expect(a!.config.receiver.path).toBe('/push/aarhus');
    expect(o!.config.receiver.path).toBe('/push/odense');

    const json = join(dir, 't.json');
    writeFileSync(json, JSON.stringify({ tenants: [{ id: 'x1', cvr: '12345678', dueslag: 'q-x1' }] }));
    expect(loadTenants(['pipeline'], { TENANTS_FILE: json })[0]!.config.pipeline.queuePrefix).toBe(
      '{cprh:x1}',
    );
    expect(selectTenants(tenants, ['odense']).map((t) => t.id)).toEqual(['odense']);
    expect(() => selectTenants(tenants, ['vejle'])).toThrow('unknown tenant "vejle" (known: aarhus, odense)');
  });

  it('without the file there is one tenant, "default", with every name as today', () => {
    const [only, ...rest] = loadTenants(['pipeline'], { STS_CVR: '11111111' });
    expect(rest).toEqual([]);
    expect(only!.id).toBe('default');
    expect(only!.cvr).toBe('11111111');
    expect(only!.config.pipeline.tenant).toBeUndefined();
    expect(only!.config.pipeline.queuePrefix).toBe('cprh');
    expect(only!.config.pipeline.eventsStream).toBe('cpr:events');
  });

  it('reports every mistake of the file, one line each, naming the tenant and the field', () => {
    const bad = {
      tenants: [
        { id: 'Aarhus', cvr: '5513301', dueslag: 'q1' },
        { id: 'odense', cvr: '35209115', dueslag: 'q1', colour: 'blue' },
        { id: 'vejle', cvr: '35209115', dueslag: 'q3', settings: { REDIS_URL: 'redis://x', STS_CVR: '1' } },
        { id: 'vejle', cvr: '29189730', dueslag: 'q4', certificate: { p12File: '/x', keyFile: '/y' } },
      ],
    };
    const problems = problemsOf(() => parseTenantsFile(JSON.stringify(bad), 'tenants.json'));
    expect(problems).toEqual([
      'tenants[0] (Aarhus).id: expected 1-31 of a-z, 0-9 and -, starting with a letter or digit',
      'tenants[0] (Aarhus).cvr: expected an 8-digit CVR number',
      'tenants[1] (odense).dueslag: "q1" is already used by tenants[0] (Aarhus)',
      'tenants[1] (odense): unknown field(s) colour',
      'tenants[2] (vejle).cvr: "35209115" is already used by tenants[1] (odense)',
      'tenants[2] (vejle).settings.REDIS_URL: not a per-tenant setting (it is shared by every tenant, or unknown)',
      "tenants[2] (vejle).settings.STS_CVR: set the tenant's field cvr instead",
      'tenants[3] (vejle).id: "vejle" is already used by tenants[2] (vejle)',
      'tenants[3] (vejle).certificate: unknown field(s) keyFile',
    ]);
    expect(problemsOf(() => parseTenantsFile('{"tenants": []}', 'f.json'))).toEqual([
      'tenants: lists no tenant',
    ]);
    expect(problemsOf(() => parseTenantsFile('tenants: [a', 'f.yaml'))[0]).toMatch(/^not valid YAML \(/);
    expect(problemsOf(() => parseTenantsFile('{', 'f.json'))[0]).toMatch(/^not valid JSON \(/);
  });

  it("a tenant whose settings fail to load is named, the file path and the secret's content never printed", () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [
          {
            id: 'a',
            cvr: '55133018',
            dueslag: 'q-a',
            certificate: { p12File: '/x.p12', passwordFile: join(dir, 'none') },
          },
          { id: 'b', cvr: '35209115', dueslag: 'q-b', settings: { POLLER_PREFETCH: 0 } },
        ],
      }),
    );
    const problems = problemsOf(() => loadTenants(['clientCert', 'poller'], { TENANTS_FILE: file }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^tenants\[0\] \(a\): Invalid setting CLIENT_CERT_P12_PASSWORD_FILE: cannot read .*none \(ENOENT\)$/,
    );
    expect(problems[1]).toMatch(/^tenants\[1\] \(b\): Invalid setting POLLER_PREFETCH: /);
    expect(() => loadTenants(['poller'], { TENANTS_FILE: join(dir, 'missing.json') })).toThrow(
      /TENANTS_FILE: .*missing\.json: cannot be read \(ENOENT\)/,
    );
    expect(() => tenantEnvironments({ TENANTS_FILE: file, TENANT_ID: 'a' })).toThrow(/TENANT_ID/);
  });
});
