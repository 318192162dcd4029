import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleApp, repoRoot, type AppBundle } from '@cprh/testkit';

// `pnpm run build` for the demo launcher (scripts/bundle-app.mjs), into a temp directory: the bundle runs with
// plain node, its source map names the .ts files, and the workspace's __dirname paths (WSDL, the
// simulator's data, the dev-PKI script) still point at the files they name.
const ROOT = repoRoot;
let bundle: AppBundle;
let out = '';
afterAll(() => bundle.remove());

describe('the demo bundle (the whole stack in one process)', () => {
  beforeAll(() => {
    bundle = bundleApp('demo');
    out = bundle.dir;
    expect([bundle.status, bundle.stderr]).toEqual([0, '']);
  }, 120_000);

  it('runs with plain node, no tsx', () => {
    const r = spawnSync(process.execPath, ['--enable-source-maps', join(out, 'main.js'), '--help'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: cprh-demo <command>/);
    expect(readFileSync(join(out, 'main.js'), 'utf8')).not.toMatch(/require\("(tsx|typescript)[/"]/);
  });

  it('has a source map naming the TypeScript sources', () => {
    const own = bundle.ownSources();
    expect(own.map((s) => join(out, s))).toContain(join(ROOT, 'apps', 'demo', 'src', 'main.ts'));
    for (const s of own) expect([s, existsSync(join(out, s))]).toEqual([s, true]);
  });

  it("keeps each workspace file's __dirname: the files it names exist", () => {
    const text = readFileSync(join(out, 'main.js'), 'utf8');
    const dirs = [...text.matchAll(/require\("node:path"\)\.join\(__dirname, "([^"]+)"\)/g)].map(
      (m) => m[1] ?? '',
    );
    // The simulator's data and certs script, KOMBIT's WSDL: at least those three source directories.
    expect(new Set(dirs).size).toBeGreaterThanOrEqual(3);
    for (const d of dirs) expect([d, existsSync(join(out, d))]).toEqual([d, true]);
    expect(existsSync(join(ROOT, 'wsdl', 'wsdl', 'Beskedfordeler.wsdl'))).toBe(true);
  });

  it("bundles the receiver's body-check thread beside the bundle, and it judges a large body", () => {
    const thread = join(out, 'body-check-thread.js');
    expect(existsSync(thread)).toBe(true);
    const script = `
      const { Worker } = require('node:worker_threads');
      const w = new Worker(${JSON.stringify(thread)}, { workerData: { maxBytes: 1e7 } });
      w.on('message', (m) => { process.stdout.write(m.verdict.code); process.exit(0); });
      w.on('error', (e) => { process.stdout.write('error ' + e.message); process.exit(1); });
      w.postMessage({ id: 1, body: Buffer.from('<x>' + 'a'.repeat(100000) + '</x>') });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect([r.status, r.stdout]).toEqual([0, 'BESKED_ROOT_UNKNOWN']);
  });

  it("ships Bull Board's UI files beside the bundle, where @bull-board/express looks", () => {
    const ui = join(out, 'node_modules', '@bull-board', 'ui');
    expect(existsSync(join(ui, 'package.json'))).toBe(true);
    expect(existsSync(join(ui, 'dist', 'index.ejs'))).toBe(true);
    expect(dirname(require.resolve('@bull-board/ui/package.json', { paths: [out] }))).toBe(ui);
  });
});
