import { BFO_MODTAG_ENTITY } from '@cprh/config';
import type { Logger } from 'pino';
import type { CertBundle } from '../certificates';
import type { CleanupStack } from '../run/cleanup-stack';
import { startBeskedfordelerFront, type BeskedfordelerFront } from './beskedfordeler-front';
import { BF_VHOST, ensureBfVhost } from './bf-vhost';
import { DueslagOwners } from './dueslag-owners';

export type { BeskedfordelerFront };

interface FrontContext {
  readonly config: { amqp: { url: string } };
  readonly sim: { host: string; amqpFront: { enabled: boolean; port: number; managementPort: number } };
  readonly logger: Logger;
  readonly certs: CertBundle;
  readonly cleanups: CleanupStack;
  /** Tenants served: their CVRs log in on the dev certificate, each only to its own dueslag. */
  readonly tenants: readonly { readonly cvr: string; readonly dueslag: string }[];
}

/**
 * SIM_AMQP_FRONT: vhost BF made ready, the front started on it; returns the URL the simulator
 * publishes to (the same RabbitMQ, vhost BF). Undefined when the front is off.
 */
export async function startAmqpFront(
  ctx: FrontContext,
): Promise<{ front: BeskedfordelerFront; publishUrl: string } | undefined> {
  if (!ctx.sim.amqpFront.enabled) return undefined;
  const via = await ensureBfVhost(ctx.config.amqp.url, ctx.logger, ctx.sim.amqpFront.managementPort);
  ctx.logger.info({ via }, 'simulator: vhost BF ready');
  const front = await startBeskedfordelerFront({
    host: ctx.sim.host,
    port: ctx.sim.amqpFront.port,
    certs: ctx.certs,
    upstreamUrl: ctx.config.amqp.url,
    audience: BFO_MODTAG_ENTITY,
    agreements: new Set(ctx.tenants.map((t) => t.cvr)),
    owners: new DueslagOwners(ctx.tenants),
    logger: ctx.logger,
  });
  ctx.cleanups.push(() => front.close());
  return { front, publishUrl: withVhost(ctx.config.amqp.url, BF_VHOST) };
}

/** The same broker and login with another virtual host. */
function withVhost(url: string, vhost: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(vhost)}`;
  return u.toString();
}
