import { addReadinessCheck, metrics, metricsRegistry, startMetricsServer, type MetricsServer } from '../src';

describe('process metrics endpoint', () => {
  let server: MetricsServer;
  beforeAll(async () => {
    server = await startMetricsServer({ port: 0, host: '127.0.0.1', readyStallSeconds: 60 });
  });
  afterAll(() => server.close());

  it('serves every cprh_ metric the README lists, with the values counted so far', async () => {
    metrics.messagesReceived.inc({ channel: 'pull' }, 3);
    metrics.certificateExpiresIn.set(Date.now() + 10 * 24 * 3600 * 1000);
    const res = await fetch(`${server.url}metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^cprh_messages_received_total\{channel="pull"\} [3-9]/m);
    const days = Number(/^cprh_function_certificate_expires_in_days (\S+)$/m.exec(text)?.[1]);
    expect(days).toBeGreaterThan(9.99);
    expect(days).toBeLessThanOrEqual(10);
    for (const name of [
      'cprh_messages_stored_total',
      'cprh_messages_acked_upstream_total',
      'cprh_duplicates_dropped_total',
      'cprh_events_dispatched_total',
      'cprh_dead_letters_total',
      'cprh_order_waits_total',
      'cprh_order_released_total',
      'cprh_events_orderbroken_total',
      'cprh_receipt_to_stream_seconds',
      'cprh_amqp_reconnects_total',
      'cprh_sts_token_fetches_total',
      'cprh_sts_token_fetch_failures_total',
      'cprh_sts_token_expires_in_seconds',
      'cprh_receiver_answers_total',
      'cprh_receiver_answer_seconds',
      'cprh_receiver_pushes_refused_total',
      'cprh_upstream_up',
      'cprh_ready',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('labels only with closed sets, never an id', () => {
    // prom-client keeps each metric's label names on the metric object.
    const own = (
      metricsRegistry.getMetricsAsArray() as unknown as { name: string; labelNames: string[] }[]
    ).filter((m) => m.name.startsWith('cprh_'));
    expect(own.length).toBe(28);
    // `stream` and `group`: configured stream names and downstream consumer-group names (retention).
    const allowed = [
      'channel',
      'stage',
      'event',
      'code',
      'reason',
      'http_status',
      'status_kode',
      'outcome',
      'stream',
      'group',
      // The tenant id of TENANTS_FILE (bounded by the file; `default` without one).
      'tenant',
    ];
    for (const m of own) for (const label of m.labelNames) expect(allowed).toContain(label);
  });

  it('a taken port is a one-line error with a code', async () => {
    const port = Number(new URL(server.url).port);
    await expect(
      startMetricsServer({ port, host: '127.0.0.1', readyStallSeconds: 60 }),
    ).rejects.toMatchObject({
      code: 'RUNTIME_METRICS_LISTEN',
      message: expect.stringMatching(/^metrics endpoint cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/),
    });
  });

  it('answers /healthz and /readyz with the failing check named in the body', async () => {
    expect((await fetch(`${server.url}healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}readyz`)).status).toBe(200);
    const remove = addReadinessCheck('broker', async () => ({ ready: false, reason: 'connection closed' }));
    try {
      const res = await fetch(`${server.url}readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable', reason: 'broker: connection closed' });
      expect(await (await fetch(`${server.url}metrics`)).text()).toMatch(/^cprh_ready 0$/m);
    } finally {
      remove();
    }
    expect((await fetch(`${server.url}readyz`)).status).toBe(200);
    expect(await (await fetch(`${server.url}metrics`)).text()).toMatch(/^cprh_ready 1$/m);
  });

  it('a check that hangs fails /readyz instead of hanging it', async () => {
    const remove = addReadinessCheck('stuck', () => new Promise(() => undefined));
    try {
      const res = await fetch(`${server.url}readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { reason: string }).reason).toMatch(/^stuck: no answer within/);
    } finally {
      remove();
    }
  });
});
