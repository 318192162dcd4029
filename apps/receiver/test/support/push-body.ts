import { randomUUID } from 'node:crypto';
import { rewriteBeskedId } from '@cprh/simulator';
import { readFixture } from '@cprh/testkit';

export const SAMPLE = readFixture('beskeder/exttest-sf1601-push.success.xml');

/** The sample push body with a fresh (or the given) BeskedId. */
export function pushBody(id: string = randomUUID()): string {
  return rewriteBeskedId(SAMPLE, id);
}
