import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleApp, repoRoot, type AppBundle } from '@cprh/testkit';

// `pnpm run build` for the cli (scripts/bundle-app.mjs), into a temp directory: the bundle runs with
// plain node, its source map names the .ts files, the workspace's __dirname paths still point at the
// files they name, and nothing of the workbench is in it.
const ROOT = repoRoot;
let bundle: AppBundle;
let out = '';
afterAll(() => bundle.remove());

describe('the cli bundle', () => {
  beforeAll(() => {
    bundle = bundleApp('cli');
    out = bundle.dir;
    expect([bundle.status, bundle.stderr]).toEqual([0, '']);
  }, 120_000);

  it('runs with plain node, no tsx', () => {
    const r = spawnSync(process.execPath, ['--enable-source-maps', join(out, 'main.js'), '--help'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: cprh \[--tenant ID\] <command>/);
    expect(readFileSync(join(out, 'main.js'), 'utf8')).not.toMatch(/require\("(tsx|typescript)[/"]/);
  });

  it('has a source map naming the TypeScript sources', () => {
    const own = bundle.ownSources();
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
    const own = bundle.ownSources().map((s) => join(out, s));
    const workbench = ['apps/simulator/', 'apps/demo/', 'apps/bench/', 'packages/testkit/'].map((d) =>
      join(ROOT, d),
    );
    expect(own.filter((s) => workbench.some((w) => s.startsWith(w)))).toEqual([]);
  });
});
