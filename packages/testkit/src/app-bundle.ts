import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './fixtures';

/** An app bundled by scripts/bundle-app.mjs (what `pnpm run build` does) into a temp directory. */
export interface AppBundle {
  readonly dir: string;
  readonly main: string;
  /** The bundler's exit status and stderr. */
  readonly status: number | null;
  readonly stderr: string;
  /** The workspace sources its source map names (not node_modules), relative to `dir`. */
  ownSources(): string[];
  remove(): void;
}

export function bundleApp(app: string): AppBundle {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-bundle-'));
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'bundle-app.mjs')], {
    cwd: join(repoRoot, 'apps', app),
    env: { ...process.env, BUNDLE_OUT_DIR: dir },
    encoding: 'utf8',
  });
  return {
    dir,
    main: join(dir, 'main.js'),
    status: r.status,
    stderr: r.stderr,
    ownSources: () => {
      const map = JSON.parse(readFileSync(join(dir, 'main.js.map'), 'utf8')) as { sources: string[] };
      return map.sources.filter((s) => !s.includes('node_modules'));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
