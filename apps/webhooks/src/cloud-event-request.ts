import type { WebhookMode } from '@cprh/config';
import { signatureHeader } from './webhook-signature';

/** What one attempt sends: headers and the exact body bytes that were signed. */
export interface WebhookRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** CloudEvents' context attributes that binary mode sends as `ce-` headers (data is the body). */
const NOT_HEADERS = new Set(['data', 'data_base64', 'datacontenttype']);

function headerValue(v: unknown): string {
  // The HTTP binding: string values, with space, '"', '%' and anything outside printable ASCII
  // percent-encoded (UTF-8).
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.replace(/[^\x21\x23\x24\x26-\x7e]/gu, (c) => encodeURIComponent(c));
}

/**
 * The request of one attempt (CloudEvents 1.0 HTTP binding + Standard Webhooks headers).
 * structured: `content-type: application/cloudevents+json`, the CloudEvent JSON as the body, as it
 * stands in the stream. binary: `ce-*` headers and the event's data as the body.
 * `webhook-id` is the CloudEvent id (the same on every retry); the timestamp is this attempt's.
 */
export function buildRequest(
  eventJson: string,
  mode: WebhookMode,
  secrets: readonly string[],
  timestamp: number,
): WebhookRequest {
  const event = JSON.parse(eventJson) as Record<string, unknown>;
  const id = String(event.id);
  let body: string;
  const headers: Record<string, string> = {};
  if (mode === 'structured') {
    body = eventJson;
    headers['content-type'] = 'application/cloudevents+json; charset=utf-8';
  } else {
    for (const [k, v] of Object.entries(event)) {
      if (!NOT_HEADERS.has(k) && v !== undefined && v !== null) headers[`ce-${k}`] = headerValue(v);
    }
    const ct = typeof event.datacontenttype === 'string' ? event.datacontenttype : 'application/json';
    headers['content-type'] = ct;
    body = event.data === undefined ? '' : JSON.stringify(event.data);
  }
  headers['webhook-id'] = id;
  headers['webhook-timestamp'] = String(timestamp);
  headers['webhook-signature'] = signatureHeader(secrets, id, timestamp, body);
  return { headers, body };
}
