import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CountdownGauge } from './countdown-gauge';

/**
 * The one Prometheus registry of this process (poller, worker, receiver, or all of them under
 * `cprh start`), served on METRICS_PORT. Every metric is defined here, up front, so a dashboard
 * and the alerts can rely on the names; code that measures only calls inc()/set()/observe().
 *
 * Labels are closed sets only (channel, catalogue event name, error code, HTTP status, StatusKode,
 * a reason word, the tenant ids of TENANTS_FILE or `default`): never a CPR number, BeskedId, job id
 * or anything else taken from a message.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

/** How a message reached us: `pull` (AMQP dueslag, the poller) or `push` (HTTPS, the receiver). */
export type Channel = 'pull' | 'push';

export const metrics = {
  /** Messages taken from upstream, before they are stored. */
  messagesReceived: new Counter({
    name: 'cprh_messages_received_total',
    help: 'Messages received from the Beskedfordeler, by channel (pull = AMQP dueslag, push = HTTPS) and tenant.',
    labelNames: ['channel', 'tenant'] as const,
    registers,
  }),
  /** Messages Redis accepted into the inbox (a repeated BeskedId is counted but stored once). */
  messagesStored: new Counter({
    name: 'cprh_messages_stored_total',
    help: 'Messages written to the inbox (Redis accepted them), by channel and tenant.',
    labelNames: ['channel', 'tenant'] as const,
    registers,
  }),
  /** Messages confirmed upstream after storing: AMQP ack (pull) or answer 20 (push). */
  messagesAcked: new Counter({
    name: 'cprh_messages_acked_upstream_total',
    help: 'Messages confirmed to the Beskedfordeler after they were stored (AMQP ack or StatusKode 20), by channel and tenant.',
    labelNames: ['channel', 'tenant'] as const,
    registers,
  }),
  /** Repeats dropped: `dispatch` = the event was already in the stream. */
  duplicatesDropped: new Counter({
    name: 'cprh_duplicates_dropped_total',
    help: 'Messages dropped as repeats of one already delivered, by where they were caught.',
    labelNames: ['stage', 'tenant'] as const,
    registers,
  }),
  /** Events written to the stream, one per registrering, by catalogue name (`unknown`/`none`). */
  eventsDispatched: new Counter({
    name: 'cprh_events_dispatched_total',
    help: 'Events written to the events stream, by catalogue event name (unknown = not in the catalogue, none = no registrering).',
    labelNames: ['event', 'tenant'] as const,
    registers,
  }),
  deadLetters: new Counter({
    name: 'cprh_dead_letters_total',
    help: 'Messages dead-lettered by this process, by error code.',
    labelNames: ['code', 'tenant'] as const,
    registers,
  }),
  /** Jobs moved to delayed because an earlier event of their person was still pending. */
  orderWaits: new Counter({
    name: 'cprh_order_waits_total',
    help: 'Inbox jobs that waited for an earlier event of the same person.',
    labelNames: ['tenant'] as const,
    registers,
  }),
  /** A person's pending event given up, so the later ones go (flagged orderbroken). */
  orderReleased: new Counter({
    name: 'cprh_order_released_total',
    help: 'Pending events given up in the order per person: dead_letter, failed_head, stale_head.',
    labelNames: ['reason', 'tenant'] as const,
    registers,
  }),
  /** Events written with the CloudEvent extension orderbroken. */
  orderBroken: new Counter({
    name: 'cprh_events_orderbroken_total',
    help: "Events written after a gap in their person's order, or replayed (orderbroken: true).",
    labelNames: ['tenant'] as const,
    registers,
  }),
  /** From the moment the poller/receiver got the message to its entry in the events stream. */
  receiptToStream: new Histogram({
    name: 'cprh_receipt_to_stream_seconds',
    help: 'Time from receipt of a message to its event entering the events stream.',
    labelNames: ['tenant'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers,
  }),
  /** Connection or channel lost and re-opened; reason is a short word (e.g. `closed`, `error`, `tls`). */
  amqpReconnects: new Counter({
    name: 'cprh_amqp_reconnects_total',
    help: 'AMQP reconnects to the broker, by reason.',
    labelNames: ['reason', 'tenant'] as const,
    registers,
  }),
  /** 1 while the upstream (AMQP broker for pull, the HTTPS listener for push) is up, else 0. */
  upstreamUp: new Gauge({
    name: 'cprh_upstream_up',
    help: '1 while the upstream connection is up (broker for pull, HTTPS listener for push), else 0.',
    labelNames: ['channel', 'tenant'] as const,
    registers,
  }),
  stsTokenFetches: new Counter({
    name: 'cprh_sts_token_fetches_total',
    help: 'SAML tokens fetched from KOMBIT STS (successful issues), by tenant.',
    labelNames: ['tenant'] as const,
    registers,
  }),
  stsTokenFetchFailures: new Counter({
    name: 'cprh_sts_token_fetch_failures_total',
    help: 'Failed token requests to KOMBIT STS, by error code and tenant.',
    labelNames: ['code', 'tenant'] as const,
    registers,
  }),
  /** Call set(expiresAt) with each new token; the scrape shows the seconds left. */
  stsTokenExpiresIn: new CountdownGauge({
    name: 'cprh_sts_token_expires_in_seconds',
    help: 'Seconds until the current STS token expires (negative once expired), by tenant.',
    unitMs: 1000,
    registry: metricsRegistry,
    labelNames: ['tenant'] as const,
  }),
  /** Call set(notAfter) when the function certificate is loaded; the scrape shows days left. */
  certificateExpiresIn: new CountdownGauge({
    name: 'cprh_function_certificate_expires_in_days',
    help: 'Days until the function certificate (FOCES/OCES) expires (negative once expired), by tenant.',
    unitMs: 24 * 3600 * 1000,
    registry: metricsRegistry,
    labelNames: ['tenant'] as const,
  }),
  /**
   * 1 while a municipality's messages flow (the poller has its dueslag open), else 0: certificate
   * unreadable or expired, STS failing, dueslag refused or missing, broker gone (retried meanwhile).
   */
  tenantUp: new Gauge({
    name: 'cprh_tenant_up',
    help: "1 while a tenant's dueslag is open and its messages flow, 0 while it is down and retried.",
    labelNames: ['tenant'] as const,
    registers,
  }),
  /**
   * One per ModtagBesked request answered: the tenant whose path it was (`(none)` when no tenant
   * has the path), HTTP status and the StatusKode in the reply (`none` if no body).
   */
  receiverAnswers: new Counter({
    name: 'cprh_receiver_answers_total',
    help: 'Push requests answered by the receiver, by tenant, HTTP status and Beskedfordeler StatusKode.',
    labelNames: ['tenant', 'http_status', 'status_kode'] as const,
    registers,
  }),
  receiverAnswerTime: new Histogram({
    name: 'cprh_receiver_answer_seconds',
    help: 'Time from a push request arriving to its answer (includes the inbox write), by tenant and HTTP status.',
    labelNames: ['tenant', 'http_status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  }),
  /**
   * TCP connections the receiver closed before or during the TLS handshake: `max_connections`,
   * `max_handshakes` (caps reached), `handshake_timeout` (not done within the deadline).
   */
  receiverConnectionsRefused: new Counter({
    name: 'cprh_receiver_connections_refused_total',
    help: 'Connections the receiver closed before a TLS session: over a cap, or handshake too slow.',
    labelNames: ['reason'] as const,
    registers,
  }),
  /**
   * Pushes refused for their tenant before the body was read: `unknown_tenant` (no tenant has the
   * path: 404), `client_not_allowed` (not in that tenant's RECEIVER_ALLOWED_SUBJECTS: 403).
   */
  receiverPushesRefused: new Counter({
    name: 'cprh_receiver_pushes_refused_total',
    help: "Pushes the receiver refused for their tenant: no tenant has the path, or the client certificate is not the tenant's.",
    labelNames: ['reason'] as const,
    registers,
  }),
  /** Entries removed from a stream by its age limit (EVENTS_MAX_AGE_SECONDS), by configured stream name. */
  streamEntriesTrimmed: new Counter({
    name: 'cprh_stream_entries_trimmed_total',
    help: "Stream entries removed because they were older than the stream's EVENTS_MAX_AGE_SECONDS.",
    labelNames: ['stream', 'tenant'] as const,
    registers,
  }),
  /** 1 while a consumer group has unread entries the age limit removes within EVENTS_MAX_AGE_WARN_SECONDS. */
  streamUnreadExpiring: new Gauge({
    name: 'cprh_stream_group_unread_expiring',
    help: '1 while a consumer group has not read entries that the age limit removes within EVENTS_MAX_AGE_WARN_SECONDS, else 0.',
    labelNames: ['stream', 'group', 'tenant'] as const,
    registers,
  }),
  /** Age of the oldest entry a consumer group has not read (0 when it is up to date). */
  streamOldestUnreadAge: new Gauge({
    name: 'cprh_stream_group_oldest_unread_age_seconds',
    help: 'Age in seconds of the oldest stream entry a consumer group has not read yet (0 = up to date).',
    labelNames: ['stream', 'group', 'tenant'] as const,
    registers,
  }),
  /** Entries the age limit removed before a consumer group had read them: lost for that group. */
  streamUnreadTrimmed: new Counter({
    name: 'cprh_stream_unread_trimmed_total',
    help: 'Stream entries removed by the age limit before a consumer group had read them.',
    labelNames: ['stream', 'group', 'tenant'] as const,
    registers,
  }),
  /** Dead letters that DEAD_LETTER_MAX_AGE_SECONDS purges within DEAD_LETTER_EXPIRY_WARN_SECONDS. */
  deadLettersExpiring: new Gauge({
    name: 'cprh_dead_letters_expiring',
    help: 'Dead letters that will be purged by DEAD_LETTER_MAX_AGE_SECONDS within DEAD_LETTER_EXPIRY_WARN_SECONDS.',
    labelNames: ['tenant'] as const,
    registers,
  }),
  deadLettersPurged: new Counter({
    name: 'cprh_dead_letters_purged_total',
    help: 'Dead letters purged because they were older than DEAD_LETTER_MAX_AGE_SECONDS.',
    labelNames: ['tenant'] as const,
    registers,
  }),
  /** Finished inbox jobs reduced to metadata, by outcome (dispatched, dead-lettered). */
  jobBytesRemoved: new Counter({
    name: 'cprh_job_bytes_removed_total',
    help: 'Finished inbox jobs whose message bytes were removed (metadata kept), by outcome.',
    labelNames: ['outcome', 'tenant'] as const,
    registers,
  }),
  /** 1 when this process's /readyz last answered ready, else 0 (evaluated at each scrape). */
  ready: new Gauge({
    name: 'cprh_ready',
    help: '1 when this process is ready (see /readyz for the reason when not), else 0.',
    registers,
  }),
} as const;
