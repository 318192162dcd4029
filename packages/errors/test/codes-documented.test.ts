import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The README promises to list every error code with its meaning, as the tables say it; this keeps
// the promise when a code is added. Every package's table is found on disk, so none is forgotten.
const root = join(__dirname, '..', '..', '..');

function tables(): { file: string; table: Record<string, string> }[] {
  const out: { file: string; table: Record<string, string> }[] = [];
  for (const dir of ['apps', 'packages']) {
    for (const pkg of readdirSync(join(root, dir))) {
      const file = join(dir, pkg, 'src', 'error-codes.ts');
      if (!existsSync(join(root, file))) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(root, file)) as Record<string, unknown>;
      const found = Object.entries(mod).filter(([name]) => name.endsWith('_ERROR_CODES'));
      expect([file, found.length]).toEqual([file, 1]);
      for (const [, table] of found) out.push({ file, table: table as Record<string, string> });
    }
  }
  return out;
}

/** `| \`CODE\` | meaning |` rows of the README's "Error codes" section. */
function documentedRows(): Map<string, string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /^## Error codes\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = /^\|\s*`([A-Z][A-Z0-9_]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (cells?.[1] !== undefined) rows.set(cells[1], (cells[2] ?? '').trim().replace(/\\\|/g, '|'));
  }
  return rows;
}

const all = tables();
const codes = all.flatMap(({ file, table }) =>
  Object.entries(table).map(([code, meaning]) => ({ file, code, meaning })),
);
const rows = documentedRows();

describe('error codes', () => {
  it('finds the tables (one per package that raises errors)', () => {
    expect(all.length).toBeGreaterThanOrEqual(8);
  });

  it.each(codes.map((c) => [c.code, c] as const))('%s is in the README with its meaning', (_code, c) => {
    const expected = `| \`${c.code}\` | ${c.meaning} |`;
    const row = rows.get(c.code);
    expect(
      row === undefined
        ? `(no row; add to README "## Error codes": ${expected})`
        : `| \`${c.code}\` | ${row} |`,
    ).toBe(expected);
  });

  it('lists no code that no table has, and each code once', () => {
    const known = new Set(codes.map((c) => c.code));
    expect([...rows.keys()].filter((code) => !known.has(code))).toEqual([]);
    expect(codes.length).toBe(known.size);
  });

  it('has one-line meanings and codes in upper snake case with a package prefix', () => {
    for (const c of codes) {
      expect([c.code, /^[A-Z]+_[A-Z0-9_]+$/.test(c.code)]).toEqual([c.code, true]);
      expect([c.code, /^[^\n|]+$/.test(c.meaning)]).toEqual([c.code, true]);
    }
  });
});
