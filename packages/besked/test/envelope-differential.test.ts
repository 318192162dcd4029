import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, fixtures, int, MUTATIONS, pick, prng, TRICKY } from './support/envelope-mutations';
import { difference, outcomeOf, type Outcome } from './support/two-readers';

// The hot path's envelope-scanner against saxes (xml-reader, the reference) on thousands of
// mutations of the real fixture envelopes: both must accept and refuse the same inputs, build the
// same model and CloudEvent, and refuse with the same code. Seeded: BESKED_FUZZ_SEED repeats a run,
// BESKED_FUZZ_CASES changes its size. A difference fails the test and saves the input to a file
// under the OS temp dir (printed).

const SEED = Number(process.env.BESKED_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.BESKED_FUZZ_CASES ?? 6000);

describe('envelope-scanner and saxes (the reference) agree', () => {
  const saved: string[] = [];
  let dir: string | undefined;

  function check(input: Uint8Array | string, label: string, problems: string[]): Outcome {
    const scanner = outcomeOf(input, 'scanner');
    const saxes = outcomeOf(input, 'saxes');
    const diff = difference(scanner, saxes);
    if (diff !== undefined) {
      dir ??= mkdtempSync(join(tmpdir(), 'besked-differential-'));
      const file = join(dir, `${label}.xml`);
      writeFileSync(file, input);
      saved.push(file);
      problems.push(`${label}: ${diff}\n    input saved to ${file}`);
    } else if (!scanner.ok && scanner.code === 'BESKED_XML_MALFORMED') {
      if (!/at line \d+, column \d+/.test(scanner.message))
        problems.push(`${label}: no line and column in "${scanner.message}"`);
    }
    return scanner;
  }

  it('on hand-picked inputs', () => {
    const problems: string[] = [];
    TRICKY.forEach((input, n) => check(input, `tricky-${n}`, problems));
    expect(problems).toEqual([]);
  });

  it(`on ${CASES} mutations of the fixture envelopes (seed ${SEED})`, () => {
    console.log(`differential fuzz: seed ${SEED} (BESKED_FUZZ_SEED=${SEED} repeats it), ${CASES} cases`);
    const r = prng(SEED);
    const bases = fixtures();
    const texts = bases.map((b) => b.text);
    const problems: string[] = [];
    const codes = new Map<string, number>();
    let accepted = 0;
    for (let n = 0; n < CASES; n++) {
      const base = pick(r, bases);
      let s = base.text;
      const rounds = 1 + int(r, 3);
      for (let k = 0; k < rounds; k++) s = pick(r, MUTATIONS)(r, s, texts);
      const outcome = check(encode(r, s), `seed-${SEED}-case-${n}`, problems);
      if (outcome.ok) accepted++;
      else codes.set(outcome.code, (codes.get(outcome.code) ?? 0) + 1);
      if (problems.length >= 20) break;
    }
    console.log(`accepted ${accepted}, refused by code: ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(problems).toEqual([]);
    // The mutations must reach both sides and several kinds of refusal, or the test proves little.
    expect(accepted).toBeGreaterThan(CASES / 10);
    expect(CASES - accepted).toBeGreaterThan(CASES / 4);
    expect(codes.size).toBeGreaterThanOrEqual(5);
  });

  afterAll(() => {
    if (saved.length > 0) console.log(`inputs where the readers differ:\n${saved.join('\n')}`);
  });
});
