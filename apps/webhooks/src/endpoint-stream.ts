import type { Config, WebhookEndpoint } from '@cprh/config';

/**
 * The stream an endpoint reads: its `stream` from WEBHOOKS_FILE, else the events stream. Under a
 * tenant (TENANTS_FILE) a named stream is that tenant's share of it, `<stream>:{cprh:<tenant>}`, as
 * the worker writes route streams: an endpoint of one tenant can never read another tenant's events.
 */
export function endpointStream(
  pipeline: Pick<Config['pipeline'], 'eventsStream' | 'queuePrefix' | 'tenant'>,
  endpoint: Pick<WebhookEndpoint, 'stream'>,
): string {
  if (endpoint.stream === undefined) return pipeline.eventsStream;
  if (pipeline.tenant === undefined) return endpoint.stream;
  const tag = `:${pipeline.queuePrefix}`;
  return endpoint.stream.endsWith(tag) ? endpoint.stream : `${endpoint.stream.replace(/[{}]/g, '')}${tag}`;
}
