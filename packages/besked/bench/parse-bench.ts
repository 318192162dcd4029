/**
 * `pnpm bench:parse`: the envelope readers on the same bytes, in the same process, one core:
 * envelope-scanner (the hot path) against saxes (xml-reader, the reference), both alone (decoded
 * text -> XNode tree) and on the full path (bytes -> CloudEvent), beside bare fast-xml-parser 5
 * (XMLParser with default options). Short rounds alternate between the contenders so background load
 * on a shared machine hits all of them alike; rates are medians over rounds, and each ratio is the
 * median of the per-round ratios. BENCH_SECONDS (default 12) is the total timed time per contender.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beskedToCloudEvent, eventSources, toCloudEvent } from '../src';
import { decodeInput } from '../src/decode-input';
import { readEnvelope } from '../src/envelope-reader';
import { scanEnvelope } from '../src/envelope-scanner';
import { DEFAULT_MAX_BYTES } from '../src/parse-options';
import { readXml } from '../src/xml-reader';
import { generateEnvelope } from './generate-envelopes';

const SAMPLES = join(__dirname, '../../testkit/fixtures/beskeder');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const ROUNDS = 10;
const GENERATED = 60;

function corpus(): { name: string; bytes: Buffer }[] {
  const samples = readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => ({ name: f, bytes: readFileSync(join(SAMPLES, f)) }))
    // realistic sizes only: the 1.4 KB "minimal" push sample is not a real delivery
    .filter((s) => s.bytes.length >= 3000);
  const generated = Array.from({ length: GENERATED }, (_, i) => ({
    name: `generated-${i}`,
    bytes: generateEnvelope(i),
  }));
  return [...samples, ...generated];
}

/** Runs `fn` over the corpus for `ms` and returns messages/s. */
function measure(messages: Buffer[], ms: number, fn: (b: Buffer) => unknown): number {
  let n = 0;
  let sink = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    for (const m of messages) {
      const r = fn(m);
      if (r !== undefined) sink++;
    }
    n += messages.length;
    now = performance.now();
  }
  if (sink < 0) console.log(sink); // keep results observable
  return (n * 1000) / (now - start);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(8);
}

function main(): void {
  const items = corpus();
  const messages = items.map((i) => i.bytes);
  const sizes = messages.map((m) => m.length);
  const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;

  // Sanity: the full path really produces events for every message.
  for (const { name, bytes } of items) {
    const e = beskedToCloudEvent(bytes, { source: eventSources.file(name) });
    if (e.id === '') throw new Error(`no id for ${name}`);
  }

  const texts = messages.map((m) => decodeInput(m, DEFAULT_MAX_BYTES));
  const byText = new Map(messages.map((m, i) => [m, texts[i]!]));
  const fxp = new XMLParser();
  const SCANNER_ALONE = 'envelope-scanner alone (text -> tree)';
  const SAXES_ALONE = 'saxes reader alone (text -> tree)';
  const SCANNER_FULL = 'full path with envelope-scanner (bytes -> CloudEvent)';
  const SAXES_FULL = 'full path with the saxes reader (bytes -> CloudEvent)';
  const FXP = 'fast-xml-parser 5 (bare parse, default options)';
  const contenders: Record<string, (b: Buffer) => unknown> = {
    [SCANNER_ALONE]: (b) => {
      const t = byText.get(b)!;
      return scanEnvelope(t.text, t.encoding);
    },
    [SAXES_ALONE]: (b) => {
      const t = byText.get(b)!;
      return readXml(t.text, t.encoding);
    },
    [SCANNER_FULL]: (b) => beskedToCloudEvent(b, { source: 'file:bench' }),
    [SAXES_FULL]: (b) => {
      const { text, encoding } = decodeInput(b, DEFAULT_MAX_BYTES);
      return toCloudEvent(readEnvelope(text, readXml(text, encoding).root), { source: 'file:bench' });
    },
    [FXP]: (b) => fxp.parse(b),
  };
  const names = Object.keys(contenders);

  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}, one core`);
  console.log(
    `corpus: ${items.length} messages (${items.length - GENERATED} KOMBIT samples >= 3 KB + ${GENERATED} generated with ~3 KB Base64 CPR payloads), ` +
      `${Math.min(...sizes)}-${Math.max(...sizes)} bytes, mean ${Math.round(mean)} bytes`,
  );
  for (const name of names) measure(messages, 500, contenders[name]!); // warm-up

  const rounds: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const perRound = (SECONDS * 1000) / ROUNDS;
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      rounds[name]!.push(measure(messages, perRound, contenders[name]!));
    }
  }
  console.log(`${ROUNDS} alternating rounds of ${(perRound / 1000).toFixed(1)} s each (medians of rounds):`);
  for (const name of names) {
    const rate = median(rounds[name]!);
    const rs = rounds[name]!.map((x) => Math.round(x));
    console.log(
      `  ${fmt(rate)} msg/s ${(1e6 / rate).toFixed(1).padStart(7)} µs/msg ${((rate * mean) / 1e6).toFixed(1).padStart(6)} MB/s  ${name}   (rounds ${Math.min(...rs)}-${Math.max(...rs)})`,
    );
  }
  const ratio = (a: string, b: string, what: string, target: string): void => {
    const rs = rounds[a]!.map((x, i) => x / rounds[b]![i]!);
    console.log(
      `ratio ${what}: ${median(rs).toFixed(2)}x median of rounds (${Math.min(...rs).toFixed(2)}-${Math.max(...rs).toFixed(2)})${target}`,
    );
  };
  ratio(SCANNER_ALONE, SAXES_ALONE, 'envelope-scanner / saxes reader, alone', ', target >= 2x');
  ratio(SCANNER_FULL, SAXES_FULL, 'full path, scanner / saxes', '');
  ratio(SCANNER_FULL, FXP, 'full path (scanner) / bare fast-xml-parser', '');
}

main();
