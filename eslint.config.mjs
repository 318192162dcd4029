import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The floors and the wall (ARCHITECTURE.md): what ships on one side, the workbench on the other.
// Rules are keyed on package names and folder globs, so they hold wherever a file moves inside them.
const PRODUCT_PACKAGES = ['besked', 'config', 'errors', 'kombit', 'pipeline', 'runtime', 'consumer'];
const PRODUCT_APPS = ['poller', 'worker', 'receiver', 'board', 'webhooks', 'cli'];
const WORKBENCH = ['simulator', 'testkit', 'bench', 'demo', 'e2e'];
const APPS = [...PRODUCT_APPS, 'simulator', 'bench', 'demo', 'e2e'];
// besked is pure: parsing and mapping, no I/O. Pure node modules (buffer, crypto, util) stay allowed.
const NODE_IO = [
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'tls',
  'dns',
  'cluster',
  'worker_threads',
  'readline',
  'process',
];
const IO_LIBRARIES = ['ioredis', 'bullmq', 'amqplib', 'undici', 'soap', 'express', 'pino', 'prom-client'];

/** A banned set of module names, with the reason the lint prints. */
const ban = (names, message) => ({ names, message });
const workbenchBan = ban(
  WORKBENCH.map((n) => `@cprh/${n}`),
  'Product code does not import the workbench (simulator, testkit, bench, demo, e2e): see ARCHITECTURE.md.',
);
const appBan = ban(
  APPS.map((n) => `@cprh/${n}`),
  'Packages are a floor below the apps: a package never imports an app (ARCHITECTURE.md).',
);
const pureBan = ban(
  [...NODE_IO.flatMap((m) => [m, `node:${m}`]), ...IO_LIBRARIES],
  '@cprh/besked is pure (no I/O): do the I/O in pipeline, kombit or an app and hand besked the data.',
);
// besked stands on errors only; every other workspace package sits above it.
const beskedFloorBan = ban(
  [...PRODUCT_PACKAGES, ...APPS, 'testkit']
    .filter((p) => p !== 'besked' && p !== 'errors')
    .map((n) => `@cprh/${n}`),
  '@cprh/besked imports no other @cprh package except @cprh/errors (it is the bottom floor).',
);

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The rules that enforce a set of bans: ES imports and exports (type-only ones too), require()
 * calls, import() expressions and `typeof import('x')` types, so a lazy require does not slip by.
 */
function restrict(...bans) {
  // A name in two bans (bench is an app and workbench) is reported once, with the first reason.
  const reasons = new Map();
  for (const b of bans) for (const name of b.names) if (!reasons.has(name)) reasons.set(name, b.message);
  const paths = [...reasons].map(([name, message]) => ({ name, message }));
  // Reaching into a workbench folder by relative path is the same crossing as importing it by name.
  const relative = {
    regex: `^(\\.\\./)+((apps|packages)/)?(${WORKBENCH.join('|')})(/|$)`,
    message: workbenchBan.message,
  };
  // esquery regexes cannot hold a '/', so '.' stands for it; anchored on both ends.
  const re = `/^(${[...reasons.keys()].map((n) => escapeRe(n).replace(/\//g, '.')).join('|')})$/`;
  const message = 'Restricted module (the wall or a floor, see ARCHITECTURE.md and eslint.config.mjs).';
  return {
    '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns: [relative] }],
    'no-restricted-syntax': [
      'error',
      { selector: `CallExpression[callee.name='require'][arguments.0.value=${re}]`, message },
      { selector: `ImportExpression[source.value=${re}]`, message },
      { selector: `TSImportType[argument.literal.value=${re}]`, message },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // Each file is checked with the tsconfig.json of its own package.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Settings come from packages/config only: one validated place for the environment.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through @cprh/config.' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Inline `type` specifiers, as the code base writes them. A lazy require() is typed with
      // `typeof import('x')` so that its module loads only when needed.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // `async () => undefined` is how code meets a Promise-returning interface (stop, readiness
      // checks, handlers); the promise rules above catch the real mistakes.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['packages/config/**', '**/test/**', 'packages/testkit/**', '**/bench/**', 'e2e/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests and benches read untyped JSON and XML answers and assert on them field by field; the
    // assertion is the check, so the any-tracking rules only add casts there.
    files: ['**/test/**', '**/bench/**', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // The wall and the floors. Flat config replaces a rule's options per matching object rather than
  // merging them, so each object below carries every ban that applies to its files.
  { files: ['packages/**'], rules: restrict(appBan) },
  { files: PRODUCT_APPS.map((a) => `apps/${a}/src/**`), rules: restrict(workbenchBan) },
  { files: PRODUCT_PACKAGES.map((p) => `packages/${p}/src/**`), rules: restrict(workbenchBan, appBan) },
  { files: ['packages/besked/src/**'], rules: restrict(workbenchBan, appBan, pureBan, beskedFloorBan) },
);
