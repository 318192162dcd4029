// `pnpm run build` for one app (run in the app's directory): bundles src/main.ts and everything it
// imports (workspace packages and node_modules) into dist/main.js with a source map, so production
// starts with plain `node --enable-source-maps dist/main.js` and needs no node_modules, no tsx and no
// TypeScript. Type checking stays with `pnpm typecheck`; tests and development keep running the .ts
// sources through tsx.
import { build } from 'esbuild';
import { cpSync, existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';

const appDir = process.cwd();
// BUNDLE_OUT_DIR: elsewhere than dist/ (apps/cli/test/bundle.test.ts bundles into a temp directory).
const outDir = resolve(process.env.BUNDLE_OUT_DIR ?? join(appDir, 'dist'));
const repoRoot = resolve(import.meta.dirname, '..');

// Workspace code finds its files (WSDL, the simulator's data, certs/make-dev-certs.sh) relative to
// its own source directory. In the bundle every module shares dist/'s __dirname, so each workspace
// file's __dirname becomes the path of its source directory, taken relative to dist/ at run time:
// the image keeps the repo layout for those files.
const sourceDirname = {
  name: 'source-dirname',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('__dirname')) return { contents: text, loader: 'ts' };
      const rel = JSON.stringify(relative(outDir, dirname(args.path)));
      return {
        contents: text.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, ${rel})`),
        loader: 'ts',
      };
    });
  },
};

rmSync(outDir, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(appDir, 'src', 'main.ts')],
  outfile: join(outDir, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Stack traces name the .ts files; the sources themselves stay out of the map (smaller image).
  sourcesContent: false,
  // msgpackr's optional native speed-up: not bundled (a .node file); msgpackr falls back to JS.
  external: ['msgpackr-extract', 'tsx/cjs'],
  plugins: [sourceDirname],
  metafile: true,
  logLevel: 'warning',
});

// Worker threads: a workspace file that starts one names its entry `<name>-thread.ts` beside itself
// and loads `<name>-thread.js` beside the bundle; each such entry is bundled into dist/ too.
const inputs0 = Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules'));
const threadEntries = new Set();
for (const input of inputs0) {
  const dir = dirname(resolve(appDir, input)); // metafile paths are relative to the working directory
  for (const f of readdirSync(dir)) if (f.endsWith('-thread.ts')) threadEntries.add(join(dir, f));
}
for (const entry of threadEntries) {
  await build({
    entryPoints: [entry],
    outfile: join(outDir, basename(entry).replace(/\.ts$/, '.js')),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    sourcesContent: false,
    external: ['msgpackr-extract', 'tsx/cjs'],
    plugins: [sourceDirname],
    logLevel: 'warning',
  });
}

// Bull Board serves its UI (static files and a template) from the @bull-board/ui package directory,
// found with require.resolve at run time: ship those files beside the bundle where it looks.
const inputs = Object.keys(result.metafile.inputs);
if (inputs.some((p) => p.includes('@bull-board/express'))) {
  // Resolved from @bull-board/express, as it does at run time.
  const express = realpathSync(join(repoRoot, 'apps', 'board', 'node_modules', '@bull-board', 'express'));
  const ui = dirname(createRequire(join(express, 'package.json')).resolve('@bull-board/ui/package.json'));
  const target = join(outDir, 'node_modules', '@bull-board', 'ui');
  cpSync(join(ui, 'package.json'), join(target, 'package.json'));
  cpSync(join(ui, 'dist'), join(target, 'dist'), { recursive: true });
}
if (!existsSync(join(outDir, 'main.js'))) throw new Error('bundle-app: no dist/main.js written');
