import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED_FIXTURES = join(__dirname, '../../../testkit/fixtures/beskeder');
export const OWN_FIXTURES = join(__dirname, '../fixtures');

export function sharedFixture(name: string): Buffer {
  return readFileSync(join(SHARED_FIXTURES, name));
}

export function ownFixture(name: string): Buffer {
  return readFileSync(join(OWN_FIXTURES, name));
}

/** Every CPR number that occurs in the fixtures: none may ever show up in an error message. */
export const FIXTURE_CPRS = ['2512484916', '2204151234', '2512484915', '2204111236', '1234567890'];
