import { Webhook } from 'standardwebhooks';
import { startMetricsServer } from '@cprh/runtime';
import { waitFor } from '@cprh/testkit';
import { DeliveryStore, endpointStatuses } from '../src';
import {
  newSecret,
  personEvent,
  startTestServer,
  webhookTestEnv,
  type TestServer,
  type WebhookTestEnv,
} from './support/webhook-harness';

let env: WebhookTestEnv;
let server: TestServer;

beforeEach(async () => {
  env = await webhookTestEnv();
  server = await startTestServer();
});

afterEach(async () => {
  await env.cleanup();
  await server.close();
});

const fast = { backoffMs: 20, maxBackoffMs: 200, timeoutMs: 2000 };

describe('webhook delivery', () => {
  it('POSTs each event once as a structured CloudEvent, signed, with the event id as webhook-id', async () => {
    const secret = newSecret();
    env.writeEndpoints([{ id: 'sag', url: server.url, secret, ...fast }]);
    await env.start();
    const events = [personEvent('0101801234'), personEvent('0202802345'), personEvent(null)];
    for (const e of events) await env.add(e);
    await waitFor('three deliveries', () => server.delivered().length === 3);
    const wh = new Webhook(secret);
    for (const e of events) {
      const hit = server.hits.find((h) => h.id === e.id);
      expect(hit?.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      expect(JSON.parse(hit?.body ?? '')).toEqual(e);
      // The Standard Webhooks reference library accepts what we sent.
      expect(wh.verify(hit?.body ?? '', hit?.headers as Record<string, string>)).toEqual(e);
    }
    expect(server.hits).toHaveLength(3);
    const status = await waitFor('backlog empty', async () => {
      const [s] = await endpointStatuses(env.redis, env.prefix);
      return s?.backlog === 0 ? s : undefined;
    });
    expect(status).toMatchObject({
      id: 'sag',
      state: 'enabled',
      deadLetters: 0,
      oldestUndeliveredSeconds: null,
    });
    // The process's /metrics: per endpoint, labelled with the endpoint id and the tenant (`default`).
    const metrics = await startMetricsServer({ port: 0, host: '127.0.0.1', readyStallSeconds: 120 });
    try {
      const text = await waitFor('gauges refreshed', async () => {
        const t = await (await fetch(`${metrics.url}metrics`)).text();
        return t.includes('cprh_webhook_backlog{endpoint="sag",tenant="default"} 0') ? t : undefined;
      });
      expect(text).toContain('cprh_webhook_delivered_total{endpoint="sag",tenant="default"} 3');
      expect(text).toContain('cprh_webhook_attempts_total{endpoint="sag",tenant="default"} 3');
      expect(text).toContain('cprh_webhook_request_seconds_count{endpoint="sag",tenant="default"} 3');
      expect(text).toContain(
        'cprh_webhook_stream_to_delivered_seconds_count{endpoint="sag",tenant="default"} 3',
      );
      expect(text).toContain('cprh_webhook_backlog_age_seconds{endpoint="sag",tenant="default"} 0');
      expect(text).toContain('cprh_webhook_endpoint_enabled{endpoint="sag",tenant="default"} 1');
      expect(text).not.toContain('0101801234');
    } finally {
      await metrics.close();
    }
  });

  it('sends only the types asked for, and binary mode puts the attributes in ce- headers', async () => {
    env.writeEndpoints([
      { id: 'bin', url: server.url, secret: newSecret(), mode: 'binary', types: ['dk.kombit.cpr.'], ...fast },
    ]);
    await env.start();
    const other = personEvent(null, 'dk.kombit.beskedfordeler.haendelsesbesked');
    const wanted = personEvent('0101801234');
    await env.add(other);
    await env.add(wanted);
    await waitFor('one delivery', () => server.delivered().length === 1);
    const hit = server.hits[0];
    expect(hit?.id).toBe(wanted.id);
    expect(hit?.headers['ce-id']).toBe(wanted.id);
    expect(hit?.headers['ce-type']).toBe('dk.kombit.cpr.personhaendelse');
    expect(hit?.headers['ce-specversion']).toBe('1.0');
    expect(hit?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(hit?.body ?? '')).toEqual(wanted.data);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.hits).toHaveLength(1);
  });

  it('retries a 5xx and then delivers, with the same webhook-id each time', async () => {
    env.writeEndpoints([{ id: 'sag', url: server.url, secret: newSecret(), ...fast }]);
    server.answer = (_h, nth) => (nth < 3 ? { status: 503 } : { status: 200 });
    await env.start();
    const e = personEvent('0101801234');
    await env.add(e);
    await waitFor('delivered', () => server.delivered().length === 1);
    expect(server.hits.map((h) => [h.id, h.status])).toEqual([
      [e.id, 503],
      [e.id, 503],
      [e.id, 200],
    ]);
  });

  it('retries after a timeout', async () => {
    env.writeEndpoints([{ id: 'slow', url: server.url, secret: newSecret(), ...fast, timeoutMs: 300 }]);
    server.answer = (_h, nth) => (nth === 1 ? 'hang' : { status: 204 });
    await env.start();
    const e = personEvent('0101801234');
    await env.add(e);
    await waitFor('delivered', () => server.delivered().length === 1);
    expect(server.hits).toHaveLength(2);
    const gap = (server.hits[1]?.at ?? 0) - (server.hits[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(300);
  });

  it('waits as long as Retry-After says on a 429', async () => {
    env.writeEndpoints([{ id: 'busy', url: server.url, secret: newSecret(), ...fast, maxBackoffMs: 5000 }]);
    server.answer = (_h, nth) =>
      nth === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 204 };
    await env.start();
    await env.add(personEvent('0101801234'));
    await waitFor('delivered', () => server.delivered().length === 1, { timeoutMs: 10000 });
    const gap = (server.hits[1]?.at ?? 0) - (server.hits[0]?.at ?? 0);
    // backoffMs is 20 ms: only the header explains a 2 s pause.
    expect(gap).toBeGreaterThanOrEqual(1900);
    expect(gap).toBeLessThan(4000);
  });

  it('dead-letters after the last attempt with its status, goes on with the person, and replay delivers it', async () => {
    env.writeEndpoints([{ id: 'sag', url: server.url, secret: newSecret(), ...fast, attempts: 3 }]);
    let broken = true;
    const first = personEvent('0101801234');
    server.answer = (h) => (broken && h.id === first.id ? { status: 500 } : { status: 204 });
    await env.start();
    const second = { ...personEvent('0101801234'), id: `${String(first.id)}-2` };
    await env.add(first);
    await env.add(second);
    await waitFor('second delivered', () => server.delivered().some((h) => h.id === second.id));
    const store = new DeliveryStore(env.redis, env.prefix, 'sag');
    const [dead] = await store.deadLetters();
    expect(dead).toMatchObject({ eventId: first.id, attempts: 3, lastStatus: 500, lastError: 'HTTP 500' });
    expect(server.hits.filter((h) => h.id === first.id)).toHaveLength(3);
    broken = false;
    expect(await store.replayDead(String(first.id))).toBe(true);
    await waitFor('replayed delivered', () => server.delivered().some((h) => h.id === first.id));
    expect(await store.deadLetters()).toEqual([]);
  });

  it('a 410 disables the endpoint until it is enabled again; then the event is delivered', async () => {
    env.writeEndpoints([{ id: 'gone', url: server.url, secret: newSecret(), ...fast }]);
    let gone = true;
    server.answer = () => (gone ? { status: 410 } : { status: 204 });
    await env.start();
    const a = personEvent('0101801234');
    const b = personEvent('0202802345');
    await env.add(a);
    await waitFor('410 seen', () => server.hits.length === 1);
    await env.add(b);
    const [status] = await waitFor('disabled', async () => {
      const s = await endpointStatuses(env.redis, env.prefix);
      return s[0]?.state === 'disabled' ? s : undefined;
    });
    expect(status?.disabled?.reason).toBe('HTTP 410 Gone');
    await new Promise((r) => setTimeout(r, 500));
    expect(server.hits).toHaveLength(1);
    gone = false;
    expect(await new DeliveryStore(env.redis, env.prefix, 'gone').enable()).toBe(true);
    await waitFor('both delivered', () => server.delivered().length === 2);
    expect(new Set(server.delivered().map((h) => h.id))).toEqual(new Set([a.id, b.id]));
  });
});
