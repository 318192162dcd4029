// A well-behaved pusher in its own process, as Beskedfordeler would be: a few keep-alive mutual-TLS
// connections, one push every 1000/rate ms whether or not earlier ones were answered (so a stalled
// receiver shows as latency, not as a slower client), and a 503 or a dropped connection is sent
// again after `retryMs`. Runs until SIGTERM, then prints one line `{"steady":{...}}`: per push its
// BeskedId, when it was first sent (epoch ms), ms until it was answered 20, and the attempts.
//
//   node --require tsx/cjs steady-client.ts '<json: url, rate, connections, ca, cert, key>'
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { rewriteBeskedId } from '@cprh/simulator';
import { readFixture } from '@cprh/testkit';

interface Options {
  url: string;
  rate: number;
  connections: number;
  ca: string;
  cert: string;
  key: string;
  retryMs?: number;
}

export interface SteadySample {
  id: string;
  sentAt: number;
  /** ms from the first attempt to the answer 20; -1 when it never was (stopped first). */
  ms: number;
  attempts: number;
}

const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const sample = readFixture('beskeder/exttest-sf1601-push.success.xml');
const agent = new Agent({
  connect: { ca: readFileSync(o.ca), cert: readFileSync(o.cert), key: readFileSync(o.key) },
  connections: o.connections,
  keepAliveTimeout: 60_000,
});
const samples: SteadySample[] = [];
let stopping = false;

async function pushOne(): Promise<void> {
  const s: SteadySample = { id: randomUUID(), sentAt: Date.now(), ms: -1, attempts: 0 };
  samples.push(s);
  const body = rewriteBeskedId(sample, s.id);
  const t0 = performance.now();
  while (!stopping || s.attempts === 0) {
    s.attempts++;
    try {
      const res = await request(o.url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/xml; charset=utf-8' },
        body,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const text = await res.body.text();
      if (res.statusCode === 200 && text.includes('StatusKode>20<')) {
        s.ms = performance.now() - t0;
        return;
      }
      if (res.statusCode !== 503) throw new Error(`push answered ${res.statusCode}: ${text.slice(0, 200)}`);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('push answered')) throw err;
      // A dropped or refused connection: sent again, as Beskedfordeler would.
    }
    await new Promise((res) => setTimeout(res, o.retryMs ?? 200));
  }
}

const inFlight = new Set<Promise<void>>();
const errors: string[] = [];
const timer = setInterval(() => {
  const p = pushOne()
    .catch((err: unknown) => void errors.push(String(err)))
    .finally(() => inFlight.delete(p));
  inFlight.add(p);
}, 1000 / o.rate);

process.on('SIGTERM', () => {
  clearInterval(timer);
  // Pushes under way get up to 10 s to be answered, then the report goes out regardless.
  const give = setTimeout(() => (stopping = true), 10_000);
  void Promise.race([Promise.all(inFlight), new Promise((res) => setTimeout(res, 12_000))]).then(async () => {
    clearTimeout(give);
    await agent.close().catch(() => undefined);
    // Exit only once the report is written: stdout to a pipe is asynchronous.
    process.stdout.write(`${JSON.stringify({ steady: { samples, errors } })}\n`, () => process.exit(0));
  });
});
process.stdout.write('steady client running\n');
