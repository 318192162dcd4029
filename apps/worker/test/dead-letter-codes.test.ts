import { WORKER_DEAD_LETTER_CODES } from '@cprh/pipeline';
import { WORKER_ERROR_CODES } from '../src/error-codes';

describe("the worker's dead-letter codes", () => {
  it('are in the worker code table, so their meaning is documented', () => {
    for (const code of WORKER_DEAD_LETTER_CODES) expect(Object.keys(WORKER_ERROR_CODES)).toContain(code);
  });
});
