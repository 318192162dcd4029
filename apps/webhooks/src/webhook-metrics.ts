import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry } from '@cprh/runtime';

const registers = [metricsRegistry];

/**
 * Per-endpoint metrics of the delivery process, on the process's /metrics (METRICS_PORT). The labels
 * are the endpoint id from WEBHOOKS_FILE and the tenant's id (`default` without TENANTS_FILE): never
 * an event id, URL or person.
 */
export const webhookMetrics = {
  delivered: new Counter({
    name: 'cprh_webhook_delivered_total',
    help: 'Events delivered (2xx) to a webhook endpoint.',
    labelNames: ['endpoint', 'tenant'] as const,
    registers,
  }),
  attempts: new Counter({
    name: 'cprh_webhook_attempts_total',
    help: 'Delivery attempts (POSTs) to a webhook endpoint, successful or not.',
    labelNames: ['endpoint', 'tenant'] as const,
    registers,
  }),
  failed: new Counter({
    name: 'cprh_webhook_failed_attempts_total',
    help: 'Delivery attempts that got no 2xx (status, connection error or timeout).',
    labelNames: ['endpoint', 'tenant'] as const,
    registers,
  }),
  deadLettered: new Counter({
    name: 'cprh_webhook_dead_letters_total',
    help: 'Events that used up their attempts and went to the endpoint dead letters.',
    labelNames: ['endpoint', 'tenant'] as const,
    registers,
  }),
  latency: new Histogram({
    name: 'cprh_webhook_request_seconds',
    help: 'Time of one delivery attempt, request out to answer in (or failure).',
    labelNames: ['endpoint', 'tenant'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  }),
  endToEnd: new Histogram({
    name: 'cprh_webhook_stream_to_delivered_seconds',
    help: 'Time from an event entering the stream to its delivery to the endpoint.',
    labelNames: ['endpoint', 'tenant'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600],
    registers,
  }),
  backlog: new Gauge({
    name: 'cprh_webhook_backlog',
    help: 'Events taken from the stream and not yet delivered or dead-lettered, per endpoint.',
    labelNames: ['endpoint', 'tenant'] as const,
    registers,
  }),
  backlogAge: new Gauge({
    name: 'cprh_webhook_backlog_age_seconds',
    help: 'Age of the oldest undelivered event of an endpoint (0 when none).',
    labelNames: ['endpoint', 'tenant'] as const,
    registers,
  }),
  deadLetterCount: new Gauge({
    name: 'cprh_webhook_dead_letters',
    help: 'Dead letters an endpoint has now (until replayed).',
    labelNames: ['endpoint', 'tenant'] as const,
    registers,
  }),
  enabled: new Gauge({
    name: 'cprh_webhook_endpoint_enabled',
    help: '1 while an endpoint is enabled, 0 after a 410 Gone or `cprh webhooks disable`.',
    labelNames: ['endpoint', 'tenant'] as const,
    registers,
  }),
} as const;
