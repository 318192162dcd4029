/**
 * The push bench's client, its own process (as KOMBIT's Beskedfordeler is): argv url, pki dir,
 * pushes, connections. Sends simulator ModtagBeskedInput bodies (the bench's envelopes, push form)
 * over keep-alive HTTPS with a client certificate, each lane one push at a time like a KOMBIT
 * route, checks every answer is 200 with StatusKode 20, and prints one JSON line of figures.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { EventGenerator, modtagBeskedInputXml } from '@cprh/simulator';
import { percentile } from './percentiles';

function post(url: URL, agent: Agent, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/xml; charset=utf-8' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const [rawUrl = '', pkiDir = '', pushesArg = '10000', connArg = '20', seedArg = '7'] =
    process.argv.slice(2);
  const url = new URL(rawUrl);
  const pushes = Number(pushesArg);
  const connections = Number(connArg);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: connections,
    ca: readFileSync(join(pkiDir, 'ca.crt')),
    cert: readFileSync(join(pkiDir, 'client.crt')),
    key: readFileSync(join(pkiDir, 'client.key')),
  });
  const gen = new EventGenerator({
    seed: Number(seedArg),
    populationSize: 60000,
    start: new Date('2026-06-01T08:00:00Z'),
  });
  const bodies = Array.from({ length: pushes }, () => modtagBeskedInputXml(gen.next(), { attempt: 1 }));
  const run = async (list: readonly string[]): Promise<{ seconds: number; latencies: number[] }> => {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const lane = async (): Promise<void> => {
      for (let i = next++; i < list.length; i = next++) {
        const t0 = performance.now();
        const res = await post(url, agent, list[i] ?? '');
        if (res.status !== 200 || !res.text.includes('StatusKode>20<')) {
          throw new Error(`push ${i} answered ${res.status}`);
        }
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: connections }, lane));
    return { seconds: (performance.now() - started) / 1000, latencies };
  };
  // Warm-up: connections made, the receiver's hot path compiled; not counted.
  const warm = Math.min(500, Math.floor(pushes / 10));
  await run(bodies.slice(0, warm));
  const cpu0 = process.cpuUsage();
  const { seconds, latencies } = await run(bodies.slice(warm));
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  const n = latencies.length;
  process.stdout.write(
    JSON.stringify({
      pushes: n,
      warmup: warm,
      seconds,
      perSecond: n / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      bodyBytes: Math.round(bodies.reduce((s, b) => s + Buffer.byteLength(b), 0) / bodies.length),
      clientCpuMsPerPush: (cpu.user + cpu.system) / 1000 / n,
    }) + '\n',
  );
  agent.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`push client: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
