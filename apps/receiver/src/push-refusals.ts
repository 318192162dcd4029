import { maskCprNumbers } from '@cprh/besked';
import { TENANT_ID_PATTERN } from '@cprh/config';
import type { Logger } from '@cprh/runtime';
import type { ClientIdentity } from './client-allowlist';

/** Why a push was refused before its body was read (the metric's `reason` label). */
export type PushRefusedReason = 'unknown_tenant' | 'client_not_allowed';

export interface PushRefusalsOptions {
  /** Log refusals (with TENANTS_FILE; a single tenant answers another path 404 quietly, as it always did). */
  logged: boolean;
  log: Logger;
  count: (reason: PushRefusedReason) => void;
}

/** Distinct refusals logged per process; beyond it they are only counted (a flood stays out of the log). */
export const REFUSALS_LOGGED_MAX = 100;

/**
 * What a log line may say about a path no tenant has: its last segment (where a tenant's push path
 * `<RECEIVER_PATH>/<id>` names the tenant) when that is shaped like a tenant id and not like a CPR
 * number, else a fixed word. Never the path itself: the caller chooses it.
 */
export function tenantSegment(pathname: string): string {
  const segment = pathname
    .split('/')
    .filter((s) => s !== '')
    .pop();
  if (segment === undefined) return '(none)';
  return TENANT_ID_PATTERN.test(segment) && maskCprNumbers(segment) === segment
    ? segment
    : '(not a tenant id)';
}

/**
 * Counts and logs pushes refused for their tenant: a path no tenant has (404), or a client
 * certificate not in that tenant's RECEIVER_ALLOWED_SUBJECTS (403). Each distinct case is logged
 * once per process, up to REFUSALS_LOGGED_MAX.
 */
export class PushRefusals {
  private readonly seen = new Set<string>();

  constructor(private readonly o: PushRefusalsOptions) {}

  unknownTenant(pathname: string): void {
    this.o.count('unknown_tenant');
    const segment = tenantSegment(pathname);
    this.once(`path ${segment}`, () =>
      this.o.log.warn(
        { reason: 'unknown_tenant', segment },
        'push refused: no tenant has this path (answered 404; logged once per path segment)',
      ),
    );
  }

  clientNotAllowed(tenant: string, client: ClientIdentity): void {
    this.o.count('client_not_allowed');
    this.once(`cert ${tenant} ${client.fingerprint256 ?? ''}`, () =>
      this.o.log.warn(
        { reason: 'client_not_allowed', tenant, subject: client.subject },
        "push refused: client certificate not in the tenant's RECEIVER_ALLOWED_SUBJECTS (answered 403; logged once per tenant and certificate)",
      ),
    );
  }

  private once(key: string, write: () => void): void {
    if (!this.o.logged || this.seen.has(key) || this.seen.size > REFUSALS_LOGGED_MAX) return;
    this.seen.add(key);
    if (this.seen.size > REFUSALS_LOGGED_MAX) {
      this.o.log.warn(
        `more than ${REFUSALS_LOGGED_MAX} kinds of refused pushes; further ones are only counted (cprh_receiver_pushes_refused_total)`,
      );
      return;
    }
    write();
  }
}
