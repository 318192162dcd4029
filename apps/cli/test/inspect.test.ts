import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { cloudEventJsonSchema } from '@cprh/besked';

// Runs the real bin, as a user would: `node apps/cli/bin/cprh.js inspect ...` from the repo root.

const ROOT = join(__dirname, '../../..');
const BIN = join(ROOT, 'apps/cli/bin/cprh.js');
const SAMPLES = join(ROOT, 'packages/testkit/fixtures/beskeder');
const BESKED_FIXTURES = join(ROOT, 'packages/besked/test/fixtures');

const ajv = new Ajv2020({ strict: true });
addFormats(ajv);
const validEvent = ajv.compile(cloudEventJsonSchema);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  args: string[],
  options: { env?: Record<string, string>; stdin?: Buffer | string; command?: string[] } = {},
): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.BESKED_MAX_BYTES === undefined) delete env.BESKED_MAX_BYTES;
  if (options.env?.EVENT_CATALOGUE_FILE === undefined) delete env.EVENT_CATALOGUE_FILE;
  const [cmd, ...pre] = options.command ?? [process.execPath, BIN];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...pre, 'inspect', ...args], { cwd: ROOT, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

function expectOneErrorLine(r: Run, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe('cprh inspect', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cprh-inspect-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('prints the CloudEvent of a file as one compact JSON line, exit 0', async () => {
    const r = await run([join(SAMPLES, 'testbesked01.xml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('}\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const event = JSON.parse(r.stdout);
    expect(validEvent(event)).toBe(true);
    expect(event).toMatchObject({
      id: '01157488-c45c-4fd2-b076-1de12effbf66',
      source: 'file:testbesked01.xml',
      type: 'dk.kombit.cpr.personhaendelse',
      time: '2016-03-15T08:00:00+01:00',
    });
    expect(event.data.registreringer[0]).toMatchObject({
      cpr: '2204151234',
      haendelse: 'foedsel',
      registreringsAktoer: 'd92bb9c2-d826-4028-8fb5-d8b88b4377d4',
    });
  });

  it('reads stdin for "-" (source file:-)', async () => {
    const { readFileSync } = await import('node:fs');
    const r = await run(['-'], { stdin: readFileSync(join(SAMPLES, 'exttest-sf1601-push.success.xml')) });
    expect(r.code).toBe(0);
    const event = JSON.parse(r.stdout);
    expect(event.source).toBe('file:-');
    expect(event.id).toBe('bd12c645-de98-453a-ac80-f58a76942eda');
    expect(validEvent(event)).toBe(true);
  });

  it('refuses a DOCTYPE with one line naming the code, exit 2', async () => {
    expectOneErrorLine(
      await run([join(BESKED_FIXTURES, 'billion-laughs.xml')]),
      /^cprh inspect: BESKED_DTD_FORBIDDEN: /,
    );
  });

  it('reports malformed XML with its position and no CPR number', async () => {
    const bad = join(tmp, 'bad.xml');
    writeFileSync(bad, '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0">\n<a2204151234></b>');
    const r = await run([bad]);
    expectOneErrorLine(r, /^cprh inspect: BESKED_XML_MALFORMED: .*line 2, column \d+/);
    expect(r.stderr).not.toContain('2204151234');
  });

  it('reports a missing required element with its path', async () => {
    const { readFileSync } = await import('node:fs');
    const xml = readFileSync(join(SAMPLES, 'testbesked01.xml'), 'utf8').replace(
      /<ns2:Beskedtype>[\s\S]*?<\/ns2:Beskedtype>/,
      '',
    );
    expectOneErrorLine(
      await run(['-'], { stdin: xml }),
      /^cprh inspect: BESKED_FIELD_MISSING: .*Haendelsesbesked\/Beskedkuvert\/Filtreringsdata\/Beskedtype/,
    );
  });

  it('applies BESKED_MAX_BYTES', async () => {
    expectOneErrorLine(
      await run([join(SAMPLES, 'testbesked01.xml')], { env: { BESKED_MAX_BYTES: '1000' } }),
      /^cprh inspect: BESKED_TOO_LARGE: .*1000 bytes/,
    );
    expectOneErrorLine(
      await run([join(SAMPLES, 'testbesked01.xml')], { env: { BESKED_MAX_BYTES: 'many' } }),
      /^cprh inspect: CONFIG_INVALID: Invalid setting BESKED_MAX_BYTES/,
    );
  });

  it('uses EVENT_CATALOGUE_FILE, and refuses an invalid one', async () => {
    const good = join(tmp, 'catalogue.json');
    writeFileSync(
      good,
      JSON.stringify([{ id: '1E5BB089-5445-44F8-9B65-BC854053F423', name: 'birth', label: 'Birth' }]),
    );
    const r = await run([join(SAMPLES, 'testbesked01.xml')], { env: { EVENT_CATALOGUE_FILE: good } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).data.registreringer[0].haendelse).toBe('birth');

    const bad = join(tmp, 'bad-catalogue.json');
    writeFileSync(bad, '[{"id": 1}]');
    expectOneErrorLine(
      await run([join(SAMPLES, 'testbesked01.xml')], { env: { EVENT_CATALOGUE_FILE: bad } }),
      /^cprh inspect: BESKED_CATALOGUE_INVALID: /,
    );
    expectOneErrorLine(
      await run([join(SAMPLES, 'testbesked01.xml')], {
        env: { EVENT_CATALOGUE_FILE: join(tmp, 'absent.json') },
      }),
      /^cprh inspect: cannot read EVENT_CATALOGUE_FILE .*absent\.json: no such file/,
    );
  });

  it('reports an unreadable file or a directory in one line, exit 2', async () => {
    expectOneErrorLine(
      await run([join(tmp, 'missing.xml')]),
      /^cprh inspect: cannot read .*missing\.xml: no such file$/m,
    );
    expectOneErrorLine(await run([tmp]), /^cprh inspect: cannot read .*: is a directory$/m);
  });

  it('wrong usage exits 2 with one line', async () => {
    expectOneErrorLine(await run([]), /^cprh inspect: expected exactly one FILE or -/);
    expectOneErrorLine(await run(['a.xml', 'b.xml']), /^cprh inspect: expected exactly one FILE or -/);
    expectOneErrorLine(await run(['--bogus']), /^cprh inspect: Unknown option/);
  });

  it('runs as `pnpm exec cprh inspect FILE` from the repository root', async () => {
    const r = await run(['packages/testkit/fixtures/beskeder/testbesked02.xml'], {
      command: ['pnpm', 'exec', 'cprh'],
      env: { CI: 'true' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      id: 'c372127c-9343-40b0-8603-ced0c76dd1ac',
      source: 'file:testbesked02.xml',
    });
  });
});
