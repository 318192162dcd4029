import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@cprh/testkit';
import { KEY_FAMILIES } from '../src/retention/key-families';

// `cprh retention` prints the README's retention table: the two must list the same families.
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('### Retention: what is kept where'),
  readme.indexOf('### Audit of unmasked views'),
);
const rows = section
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| key family') && !l.startsWith('| ---'))
  .map((l) =>
    l
      .slice(2, -2)
      .split(' | ')
      .map((c) => c.trim()),
  );

describe('the README retention table', () => {
  it('has one row per key family, in order, as `cprh retention` knows them', () => {
    expect(rows.map((r) => r[0])).toEqual(KEY_FAMILIES.map((f) => f.name));
  });

  it.each(KEY_FAMILIES.map((f) => [f.name, f] as const))(
    '%s: keys, holds, CPR, lifetime and setting match',
    (_, f) => {
      expect(rows.find((r) => r[0] === f.name)).toEqual([
        f.name,
        f.keys,
        f.holds,
        f.cpr,
        f.lifetime,
        f.setting,
      ]);
    },
  );
});
