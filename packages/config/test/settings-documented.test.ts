import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingNames } from '../src';

// The README promises every setting is documented; this keeps the promise when settings are added.
const root = join(__dirname, '..', '..', '..');
const docs = [
  'README.md',
  'packages/pipeline/README.md',
  'packages/besked/README.md',
  'apps/receiver/README.md',
]
  .map((f) => readFileSync(join(root, f), 'utf8'))
  .join('\n');

describe('settings documentation', () => {
  it.each(settingNames())('%s is documented in a README', (name) => {
    expect(docs).toMatch(new RegExp(`\\b${name}\\b`));
  });
});
