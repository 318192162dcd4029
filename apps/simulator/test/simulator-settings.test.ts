import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, settingNames } from '@cprh/config';
import { loadWorkbenchConfig, simulatorSettings, workbenchSettingNames } from '../src';

describe('simulator settings', () => {
  it('has defaults that meet the poller and pipeline', () => {
    const s = loadWorkbenchConfig(['simulator'], {}).simulator;
    expect(s.dueslag).toBe('11111111-2222-4333-8444-555555555555');
    expect(s.beskedtype).toBe('248ce14c-a863-4fb5-9e6f-7df9ea850809');
    expect(s.redisPrefix).toBe('cprh-sim:');
    expect(s.tokenLifetimeSeconds).toBe(300);
    expect(s.demo).toEqual({
      mode: 'pull',
      pushUrl: 'https://127.0.0.1:9443/sts/beskedfordeler/ModtagBesked',
    });
    expect(s.chaos.duplicate).toBe(0);
    // No fixed seed: each run picks its own (see run-seed.test.ts).
    expect(s.seed).toBeUndefined();
  });

  it('reads chaos rates and push settings', () => {
    const s = loadWorkbenchConfig(['simulator'], {
      SIM_CHAOS_DUPLICATE: '0.25',
      SIM_DEMO_MODE: 'push',
      SIM_PUSH_URL: 'https://127.0.0.1:9443/ModtagBesked',
      SIM_SEED: '42',
    }).simulator;
    expect(s.chaos.duplicate).toBe(0.25);
    expect(s.demo).toEqual({ mode: 'push', pushUrl: 'https://127.0.0.1:9443/ModtagBesked' });
    // Without SIM_PUSH_URL the demo pushes to the local receiver's default endpoint.
    expect(loadWorkbenchConfig(['simulator'], { SIM_DEMO_MODE: 'push' }).simulator.demo.pushUrl).toBe(
      'https://127.0.0.1:9443/sts/beskedfordeler/ModtagBesked',
    );
    expect(s.seed).toBe(42);
  });

  it.each([
    [{ SIM_CHAOS_MALFORMED: '2' }, /^Invalid setting SIM_CHAOS_MALFORMED: must be between 0 and 1/],
    [{ SIM_DUESLAG: 'not-a-uuid' }, /^Invalid setting SIM_DUESLAG: expected a UUID/],
    [{ SIM_STS_PORT: '70000' }, /^Invalid setting SIM_STS_PORT: /],
    [{ SIM_PUSH_URL: 'http://x' }, /^Invalid setting SIM_PUSH_URL: expected a URL with scheme https/],
    [{ SIM_RATE: 'fast' }, /^Invalid setting SIM_RATE: /],
    [{ SIM_SEED: '-1' }, /^Invalid setting SIM_SEED: /],
    [{ SIM_SEED: '2147483648' }, /^Invalid setting SIM_SEED: must be <= 2147483647/],
  ])('refuses %j', (env, message) => {
    expect(() => loadWorkbenchConfig(['simulator'], env)).toThrow(ConfigError);
    expect(() => loadWorkbenchConfig(['simulator'], env)).toThrow(message);
  });
});

describe('simulator settings with a TENANTS_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-tenants-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves the product's tenants: id, CVR, dueslag as written, push path", () => {
    const file = join(dir, 'tenants.yaml');
    writeFileSync(
      file,
      [
        'tenants:',
        '  - { id: aarhus, cvr: "55133018", dueslag: 7D6A4C1E-3F7B-4B8E-9A53-2F1E0C9D8B01 }',
        '  - { id: odense, cvr: 35209115, dueslag: q-odense, pushPath: /push/odense }',
      ].join('\n'),
    );
    expect(loadWorkbenchConfig(['simulator'], { TENANTS_FILE: file }).simulator.tenants).toEqual([
      { id: 'aarhus', cvr: '55133018', dueslag: '7D6A4C1E-3F7B-4B8E-9A53-2F1E0C9D8B01' },
      { id: 'odense', cvr: '35209115', dueslag: 'q-odense', pushPath: '/push/odense' },
    ]);
    expect(loadWorkbenchConfig(['simulator'], {}).simulator.tenants).toEqual([]);
  });

  it("refuses a wrong file with the product's line", () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ tenants: [{ id: 'x', cvr: '123', dueslag: 'q' }] }));
    expect(() => loadWorkbenchConfig(['simulator'], { TENANTS_FILE: file })).toThrow(
      /TENANTS_FILE: .*bad\.json: tenants\[0\] \(x\)\.cvr: expected an 8-digit CVR number/,
    );
  });
});

// The README promises every setting is documented; the product's are checked in packages/config.
describe('simulator settings documentation', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const own = workbenchSettingNames().filter((n) => !settingNames().includes(n));
  it("are the workbench settings the product does not read (and the product's TENANTS_FILE)", () => {
    expect([...own, 'TENANTS_FILE']).toEqual(Object.keys(simulatorSettings.env));
    expect(own.every((n) => n.startsWith('SIM_'))).toBe(true);
    expect(settingNames()).toContain('TENANTS_FILE');
  });
  it.each(own)('%s is documented in apps/simulator/README.md', (name) => {
    expect(readme).toMatch(new RegExp(`\\b${name}\\b`));
  });
});
