import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvelopeIds } from '../src/envelope-ids';
import { peekEnvelopeIds } from '../src';
import { peekWithSaxes } from '../src/peek-with-saxes';
import { peekWithScanner } from '../src/peek-with-scanner';
import {
  encode,
  fixtures,
  int,
  MUTATIONS,
  pick,
  prng,
  TRICKY,
  type Rand,
} from './support/envelope-mutations';

// The hot path's id peek (peek-with-scanner.ts, used by the poller for every message) against the saxes peek (the reference) on thousands of mutations of the real fixture
// envelopes, most of them in the part the peeks read (BeskedId, Filtreringsdata): both must find
// the same BeskedId and CPR number, or the same nothing, with and without the CPR number asked
// for. Seeded like envelope-differential.test.ts: BESKED_FUZZ_SEED, BESKED_FUZZ_CASES. A
// difference fails the test and saves the input under the OS temp dir (printed).

const SEED = Number(process.env.BESKED_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.BESKED_FUZZ_CASES ?? 6000);

/** Where the peeks stop reading at the latest: mutations are aimed before it half of the time. */
function headEnd(s: string): number {
  const at = s.indexOf('Leveranceinformation');
  return at < 0 ? Math.floor(s.length / 2) : at;
}

/** Shapes the peeks meet besides single mutations: a push body, text pushing the ids past 4 KiB. */
const WRAPS: ((r: Rand, s: string) => string)[] = [
  (_r, s) => s,
  (_r, s) =>
    `<sts:ModtagBeskedInput xmlns:sts="urn:oio:sts:1.0.0">${s.replace(/^<\?xml[^>]*\?>\s*/, '')}</sts:ModtagBeskedInput>`,
  (r, s) => {
    // A long comment or whitespace before the BeskedId (the scanner peek decodes 2 KiB first).
    const at = s.indexOf('>', s.indexOf('Haendelsesbesked')) + 1;
    if (at <= 0) return s;
    const pad = r() < 0.5 ? `<!--${'x'.repeat(3000 + int(r, 3000))}-->` : ' '.repeat(3500 + int(r, 1500));
    return s.slice(0, at) + pad + s.slice(at);
  },
];

function same(a: EnvelopeIds, b: EnvelopeIds): boolean {
  return a.beskedId === b.beskedId && a.cpr === b.cpr;
}

describe('the id peek on the envelope scanner and on saxes (the reference) agree', () => {
  const saved: string[] = [];
  let dir: string | undefined;

  /** Compares both peeks (CPR asked for and not); returns the scanner's ids with the CPR. */
  function check(input: Uint8Array | string, label: string, problems: string[]): EnvelopeIds {
    let result: EnvelopeIds = { beskedId: null, cpr: null };
    for (const cpr of [true, false]) {
      const saxes = peekWithSaxes(input, { cpr });
      const scanner = peekWithScanner(input, { cpr }) ?? saxes; // undefined: XML 1.1, saxes reads it
      if (cpr) result = scanner;
      if (!same(scanner, saxes)) {
        dir ??= mkdtempSync(join(tmpdir(), 'besked-peek-differential-'));
        const file = join(dir, `${label}.xml`);
        writeFileSync(file, input);
        saved.push(file);
        // The values are test data (fixture CPR numbers), shown so a difference can be read.
        problems.push(
          `${label} (cpr: ${cpr}): scanner ${JSON.stringify(scanner)}, saxes ${JSON.stringify(saxes)}\n    input saved to ${file}`,
        );
      }
    }
    return result;
  }

  it('on the fixtures and hand-picked inputs', () => {
    const problems: string[] = [];
    const unread: string[] = [];
    for (const f of fixtures()) {
      const ids = check(f.text, f.name, problems);
      if (ids.beskedId === null) unread.push(f.name);
      expect(peekEnvelopeIds(f.text)).toEqual(ids);
    }
    TRICKY.forEach((input, n) => check(input, `tricky-${n}`, problems));
    expect(problems).toEqual([]);
    // Only the two DTD attacks have no id to read.
    expect(unread.sort()).toEqual(['billion-laughs.xml', 'external-entity.xml']);
  });

  it(`on ${CASES} mutations of the fixture envelopes (seed ${SEED})`, () => {
    console.log(`peek differential fuzz: seed ${SEED} (BESKED_FUZZ_SEED=${SEED} repeats it), ${CASES} cases`);
    const r = prng(SEED);
    const bases = fixtures();
    const texts = bases.map((b) => b.text);
    const problems: string[] = [];
    const seen = { both: 0, idOnly: 0, none: 0 };
    for (let n = 0; n < CASES; n++) {
      let s = pick(r, WRAPS)(r, pick(r, bases).text);
      const rounds = 1 + int(r, 3);
      for (let k = 0; k < rounds; k++) {
        const mutate = pick(r, MUTATIONS);
        if (r() < 0.5) {
          const end = headEnd(s);
          s = mutate(r, s.slice(0, end), texts) + s.slice(end);
        } else {
          s = mutate(r, s, texts);
        }
      }
      const ids = check(encode(r, s), `seed-${SEED}-case-${n}`, problems);
      if (ids.beskedId !== null && ids.cpr !== null) seen.both++;
      else if (ids.beskedId !== null) seen.idOnly++;
      else seen.none++;
      if (problems.length >= 20) break;
    }
    console.log(`ids found: ${JSON.stringify(seen)}`);
    expect(problems).toEqual([]);
    // The mutations must reach every outcome, or the test proves little.
    expect(seen.both).toBeGreaterThan(CASES / 10);
    expect(seen.none).toBeGreaterThan(CASES / 20);
    expect(seen.idOnly).toBeGreaterThan(CASES / 200);
  });

  afterAll(() => {
    if (saved.length > 0) console.log(`inputs where the peeks differ:\n${saved.join('\n')}`);
  });
});
