import type { AllowedSubject } from '@cprh/config';
import { isAllowedClient, type ClientIdentity } from './client-allowlist';
import type { PushAnswer } from './push-answer';
import type { PushedMessage } from './pushed-message';
import { ReceiverError } from './receiver-error';

/** One tenant the receiver serves: the path its pushes arrive on, who may send them, its inbox. */
export interface PushTenant {
  readonly id: string;
  /** RECEIVER_PATH of the tenant (with TENANTS_FILE `<RECEIVER_PATH>/<id>` unless `pushPath`). */
  readonly path: string;
  /** The tenant's RECEIVER_ALLOWED_SUBJECTS; empty: every certificate of RECEIVER_CLIENT_CA_FILE. */
  readonly allowedSubjects: readonly AllowedSubject[];
  readonly intake: { take(message: PushedMessage): Promise<PushAnswer> };
}

/**
 * Throws unless every tenant has its own path. The tenants file refuses two equal pushPaths; a
 * pushPath can still equal another tenant's default `<RECEIVER_PATH>/<id>`. Refused at start:
 * which inbox a push lands in must never be a guess.
 */
export function checkTenantPaths(tenants: readonly { id: string; path: string }[]): void {
  const seen = new Map<string, string>();
  for (const t of tenants) {
    const other = seen.get(t.path);
    if (other !== undefined) {
      throw new ReceiverError(
        'RECEIVER_TENANT_PATH_TAKEN',
        `tenants ${other} and ${t.id} have the same push path ${t.path}; give one of them another pushPath`,
      );
    }
    seen.set(t.path, t.id);
  }
}

/**
 * The tenants of one listener, told apart by the request's path. At the TLS handshake a client
 * certificate is let in when at least one tenant allows it; after the path named the tenant, that
 * tenant's own list decides. With one tenant this is exactly RECEIVER_ALLOWED_SUBJECTS at the
 * handshake, as before tenants existed.
 */
export class PushTenants {
  private readonly byPath = new Map<string, PushTenant>();
  /** Empty when some tenant admits every certificate of the CA. */
  private readonly handshakeLists: (readonly AllowedSubject[])[];

  constructor(readonly all: readonly PushTenant[]) {
    checkTenantPaths(all);
    for (const t of all) this.byPath.set(t.path, t);
    this.handshakeLists = all.some((t) => t.allowedSubjects.length === 0)
      ? []
      : all.map((t) => t.allowedSubjects);
  }

  /** The tenant whose path this is (query string already removed), if any. */
  at(pathname: string): PushTenant | undefined {
    return this.byPath.get(pathname);
  }

  /** Whether any tenant may be pushed to with this certificate (checked at the handshake). */
  admitsAtHandshake(client: ClientIdentity): boolean {
    return (
      this.handshakeLists.length === 0 || this.handshakeLists.some((list) => isAllowedClient(client, list))
    );
  }

  /** Whether this tenant takes pushes from this certificate. */
  static admits(tenant: PushTenant, client: ClientIdentity): boolean {
    return isAllowedClient(client, tenant.allowedSubjects);
  }
}
