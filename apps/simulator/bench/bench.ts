/*
 * How fast the simulator makes and publishes events. Modest sizes: the machine is shared.
 *   pnpm --filter @cprh/simulator bench            (BENCH_EVENTS=20000 by default)
 * Needs the local RabbitMQ (AMQP_URL). Uses its own queue and deletes it.
 */
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { haendelsesbeskedXml } from '../src/besked/besked-xml';
import { Distributor } from '../src/subscriptions/distributor';
import { EventGenerator } from '../src/population/event-generator';
import { PullPublisher } from '../src/dueslag/pull-publisher';

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const N = Number(process.env.BENCH_EVENTS ?? 20_000);

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en')} events/s (${n} in ${ms.toFixed(0)} ms)`;
}

async function main(): Promise<void> {
  const start = new Date('2026-06-01T08:00:00Z');
  // 1. Generate events (population changes, ids) without XML.
  let gen = new EventGenerator({ seed: 1, populationSize: 60_000, start });
  let t = performance.now();
  const events = gen.take(N);
  const genMs = performance.now() - t;

  // 2. Build the envelopes (XML + Base64 payload) for those events.
  t = performance.now();
  let bytes = 0;
  for (const e of events) bytes += haendelsesbeskedXml(e, { attempt: 1, deliveredAt: start }).length;
  const xmlMs = performance.now() - t;

  // 3. Generate + build together on a fresh generator (what the rate mode does per event).
  gen = new EventGenerator({ seed: 2, populationSize: 60_000, start });
  t = performance.now();
  for (let i = 0; i < N; i++) haendelsesbeskedXml(gen.next());
  const bothMs = performance.now() - t;

  // 4. Publish prebuilt messages to RabbitMQ (persistent, publisher confirms).
  const queue = `cprh-sim-bench-${randomUUID()}`;
  const publisher = await PullPublisher.connect(AMQP_URL);
  const bodies = events.map((e) => haendelsesbeskedXml(e));
  t = performance.now();
  for (let i = 0; i < bodies.length; i++)
    await publisher.publish(queue, bodies[i] as string, events[i]!.transaktionsId);
  await publisher.flush();
  const pubMs = performance.now() - t;

  // 5. Whole path: generate, match a catch-all subscription, build, publish, confirm.
  const queue2 = `cprh-sim-bench-${randomUUID()}`;
  const d = new Distributor({ publisher, lookup: async () => new Set() });
  d.add({ id: randomUUID(), navn: 'bench', dueslag: queue2, delivery: { mode: 'pull' }, filter: {} });
  gen = new EventGenerator({ seed: 3, populationSize: 60_000, start });
  t = performance.now();
  for (let done = 0; done < N; done += 500) await d.dispatch(gen.take(Math.min(500, N - done)));
  const e2eMs = performance.now() - t;

  await d.close();
  await publisher.close();
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.deleteQueue(queue);
  await ch.deleteQueue(queue2);
  await conn.close();

  process.stdout.write(
    [
      `simulator bench, ${N} events, population 60,000, node ${process.version}`,
      `  generate events           ${rate(N, genMs)}`,
      `  build Haendelsesbesked    ${rate(N, xmlMs)}, avg ${Math.round(bytes / N)} bytes`,
      `  generate + build          ${rate(N, bothMs)}`,
      `  publish to RabbitMQ       ${rate(N, pubMs)} (persistent, confirms)`,
      `  generate+build+publish    ${rate(N, e2eMs)} (distributor, catch-all pull subscription)`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
