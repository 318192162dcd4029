import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

interface Message {
  ruleId: string | null;
  line: number;
  message: string;
}

/** Lints each source text as the file at that repo path, with the repo's ESLint config. */
function lint(files: Record<string, string>): Record<string, Message[]> {
  const input = Object.entries(files).map(([filePath, code]) => ({ filePath, code }));
  const out = execFileSync(process.execPath, [join(__dirname, 'support', 'lint-text.mjs')], {
    input: JSON.stringify(input),
    encoding: 'utf8',
  });
  const results = JSON.parse(out) as { filePath: string; messages: Message[] }[];
  return Object.fromEntries(results.map((r) => [r.filePath, r.messages]));
}

/** The wall and floor findings of one file, as `line rule`. */
const walls = (messages: Message[] | undefined): string[] =>
  (messages ?? [])
    .filter(
      (m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax',
    )
    .map((m) => `${m.line} ${m.ruleId}`);

const IMPORTS = '@typescript-eslint/no-restricted-imports';
const SYNTAX = 'no-restricted-syntax';

describe('the wall and the floors in eslint.config.mjs', () => {
  // One ESLint run for every case (loading the config costs seconds).
  let r: Record<string, Message[]>;
  beforeAll(() => {
    r = lint({
      'apps/poller/src/wall-probe.ts': [
        "import { startSimulatorService } from '@cprh/simulator';",
        "import type { OwnRedisCluster } from '@cprh/testkit';",
        "import { sleep } from '../../testkit/src/sleep';",
        'export const a = [startSimulatorService, sleep];',
        'export type B = OwnRedisCluster;',
      ].join('\n'),
      'apps/cli/src/wall-probe.ts': [
        "export const lazy = require('@cprh/simulator') as typeof import('@cprh/simulator');",
        "export const later = import('@cprh/demo');",
      ].join('\n'),
      'packages/pipeline/src/wall-probe.ts': "export { runBench } from '@cprh/bench';",
      'packages/besked/src/wall-probe.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { createConnection } from 'net';",
        "import Redis from 'ioredis';",
        "import { loadConfig } from '@cprh/config';",
        "import { CodedError } from '@cprh/errors';",
        "import { Buffer } from 'node:buffer';",
        'export const a = [readFileSync, createConnection, Redis, loadConfig, CodedError, Buffer];',
      ].join('\n'),
      'packages/kombit/test/wall-probe.ts': [
        "import { uniqueName } from '@cprh/testkit';",
        "import { startWorker } from '@cprh/worker';",
        'export const a = [uniqueName, startWorker];',
      ].join('\n'),
      'apps/worker/test/wall-probe.ts': [
        "import { uniqueName } from '@cprh/testkit';",
        "import { startSimulatorService } from '@cprh/simulator';",
        'export const a = [uniqueName, startSimulatorService];',
      ].join('\n'),
      'apps/bench/src/wall-probe.ts': "export { startSimulatorService } from '@cprh/simulator';",
    });
  });

  it('fails a product file that imports the workbench, by name, as a type or by relative path', () => {
    expect(walls(r['apps/poller/src/wall-probe.ts'])).toEqual([
      `1 ${IMPORTS}`,
      `2 ${IMPORTS}`,
      `3 ${IMPORTS}`,
    ]);
    const byName = r['apps/poller/src/wall-probe.ts']?.find((m) => m.line === 1);
    expect(byName?.message).toMatch(
      /'@cprh\/simulator' import is restricted.*Product code does not import the workbench/,
    );
  });

  it('fails a lazy require(), an import() and a typeof import() of the workbench', () => {
    expect(walls(r['apps/cli/src/wall-probe.ts'])).toEqual([`1 ${SYNTAX}`, `1 ${SYNTAX}`, `2 ${SYNTAX}`]);
  });

  it('fails a package that imports an app', () => {
    expect(walls(r['packages/pipeline/src/wall-probe.ts'])).toEqual([`1 ${IMPORTS}`]);
    expect(walls(r['packages/kombit/test/wall-probe.ts'])).toEqual([`2 ${IMPORTS}`]);
  });

  it('keeps besked pure: no node I/O, no I/O library, no @cprh package but errors', () => {
    const besked = r['packages/besked/src/wall-probe.ts'] ?? [];
    expect(walls(besked)).toEqual([`1 ${IMPORTS}`, `2 ${IMPORTS}`, `3 ${IMPORTS}`, `4 ${IMPORTS}`]);
    expect(besked.find((m) => m.line === 1)?.message).toMatch(
      /'node:fs' import is restricted.*besked is pure/,
    );
    // @cprh/errors and node:buffer (lines 5 and 6) stay allowed.
  });

  it('lets tests use testkit, and the workbench use the simulator', () => {
    expect(walls(r['packages/kombit/test/wall-probe.ts'])).not.toContain(`1 ${IMPORTS}`);
    expect(walls(r['apps/worker/test/wall-probe.ts'])).toEqual([]);
    expect(walls(r['apps/bench/src/wall-probe.ts'])).toEqual([]);
  });
});
