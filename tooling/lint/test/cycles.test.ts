import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(__dirname, '../../..');

/** Runs the cycle check of `pnpm lint` (root package.json lint:cycles) on a folder of files. */
function checkCycles(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-cycles-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const r = spawnSync(
      join(__dirname, '../node_modules/.bin/depcruise'),
      ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', dir],
      { cwd: root, encoding: 'utf8' },
    );
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the import-cycle check', () => {
  it('fails on a cycle between files, also when one side imports only a type', () => {
    const r = checkCycles({
      'src/start-services.ts':
        "import { wire } from './wiring';\nexport interface StartConfig { port: number }\nexport const start = wire;\n",
      'src/wiring.ts':
        "import type { StartConfig } from './start-services';\nexport const wire = (c: StartConfig): number => c.port;\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/no-circular/);
    expect(r.output).toMatch(/start-services\.ts/);
    expect(r.output).toMatch(/wiring\.ts/);
  });

  it('fails on a longer cycle through folders and NodeNext .js specifiers', () => {
    const r = checkCycles({
      'src/a/one.ts': "import { two } from '../b/two.js';\nexport const one = (): number => two() + 1;\n",
      'src/b/two.ts': "import { three } from '../c/three.js';\nexport const two = (): number => three();\n",
      'src/c/three.ts':
        "import { one } from '../a/one.js';\nexport const three = (): number => (one.length > 0 ? 1 : 0);\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/no-circular/);
  });

  it('passes the same files with the shared type in a file of its own', () => {
    const r = checkCycles({
      'src/start-config.ts': 'export interface StartConfig { port: number }\n',
      'src/start-services.ts': "import { wire } from './wiring';\nexport const start = wire;\n",
      'src/wiring.ts':
        "import type { StartConfig } from './start-config';\nexport const wire = (c: StartConfig): number => c.port;\n",
    });
    expect(r.output).toMatch(/no dependency violations/);
    expect(r.status).toBe(0);
  });
});
