import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `pnpm run build` for the cli (scripts/bundle-app.mjs), into a temp directory: the bundle runs with
// plain node, its source map names the .ts files, the workspace's __dirname paths still point at the
// files they name, and nothing of the workbench is in it.
const ROOT = join(__dirname, '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'cprh-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the cli bundle', () => {
  beforeAll(() => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle-app.mjs')], {
      cwd: join(ROOT, 'apps', 'cli'),
      env: { ...process.env, BUNDLE_OUT_DIR: out },
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
  }, 120_000);

  it('runs with plain node, no tsx', () => {
    const r = spawnSync(process.execPath, ['--enable-source-maps', join(out, 'main.js'), '--help'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: cprh <command>/);
    expect(readFileSync(join(out, 'main.js'), 'utf8')).not.toMatch(/require\("(tsx|typescript)[/"]/);
  });

  it('has a source map naming the TypeScript sources', () => {
    const map = JSON.parse(readFileSync(join(out, 'main.js.map'), 'utf8')) as { sources: string[] };
    const own = map.sources.filter((s) => !s.includes('node_modules'));
    expect(own.map((s) => join(out, s))).toContain(join(ROOT, 'apps', 'cli', 'src', 'main.ts'));
    for (const s of own) expect([s, existsSync(join(out, s))]).toEqual([s, true]);
  });

  it("keeps each workspace file's __dirname: the files it names exist", () => {
    const text = readFileSync(join(out, 'main.js'), 'utf8');
    const dirs = [...text.matchAll(/require\("node:path"\)\.join\(__dirname, "([^"]+)"\)/g)].map(
      (m) => m[1] ?? '',
    );
    for (const d of dirs) expect([d, existsSync(join(out, d))]).toEqual([d, true]);
  });

  it('holds no workbench code: the simulator, the demo and the testkit stay out of the operator bundle', () => {
    const map = JSON.parse(readFileSync(join(out, 'main.js.map'), 'utf8')) as { sources: string[] };
    const own = map.sources.filter((s) => !s.includes('node_modules')).map((s) => join(out, s));
    const workbench = ['apps/simulator/', 'apps/demo/', 'apps/bench/', 'packages/testkit/'].map((d) =>
      join(ROOT, d),
    );
    expect(own.filter((s) => workbench.some((w) => s.startsWith(w)))).toEqual([]);
  });
});
