import { ConsumerError } from './consumer-error';

/** A tenant id as TENANTS_FILE allows it (it is part of key names). */
const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,30}$/;

/**
 * The stream a tenant's events are written to: `<stream>:{<base>:<tenant>}`, where `<base>` is the
 * pipeline's QUEUE_PREFIX and `<stream>` its EVENTS_STREAM (or a route stream), both without braces
 * (`cpr:events` of tenant `aarhus` with `cprh` -> `cpr:events:{cprh:aarhus}`). The same rule as the
 * pipeline's (`@cprh/config` pipeline settings), written out here so the SDK needs no product settings.
 */
export function tenantStream(stream: string, tenant: string, queuePrefix = 'cprh'): string {
  if (!TENANT_ID.test(tenant)) {
    throw new ConsumerError(
      'CONSUMER_OPTIONS_INVALID',
      `tenant must be a TENANTS_FILE id (a-z, 0-9, "-", at most 31), got "${tenant}"`,
    );
  }
  const base = stripBraces(queuePrefix);
  if (base === '') throw new ConsumerError('CONSUMER_OPTIONS_INVALID', 'queuePrefix must not be empty');
  return `${stripBraces(stream)}:{${base}:${tenant}}`;
}

function stripBraces(name: string): string {
  return name.replace(/[{}]/g, '');
}
