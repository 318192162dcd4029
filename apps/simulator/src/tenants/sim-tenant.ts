/**
 * One municipality (tenant) the simulator serves, as the product's TENANTS_FILE names it: its CVR
 * (the STS issues tokens for it, the AMQP front opens its dueslag only to it), its dueslag, and a
 * population of its own whose events go only to that CVR's subscriptions.
 */
export interface SimTenant {
  readonly id: string;
  readonly cvr: string;
  /** The tenant's dueslag, as the product's poller reads it. */
  readonly dueslag: string;
  /** Path of the tenant's push endpoint (SIM_DEMO_MODE=push); default SIM_PUSH_URL + `/<id>`. */
  readonly pushPath?: string;
}

/** Where the demo pushes a tenant's events: the receiver's path for it, as the product defaults it. */
export function tenantPushUrl(pushUrl: string, t: SimTenant): string {
  if (t.pushPath !== undefined) return new URL(t.pushPath, pushUrl).toString();
  const u = new URL(pushUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${t.id}`;
  return u.toString();
}

/**
 * The seed of a tenant's population and events: the run's seed mixed with the tenant id (FNV-1a),
 * so tenants differ, one run repeats, and adding a tenant does not change the others' events.
 */
export function tenantSeed(seed: number, id: string): number {
  let h = 0x811c9dc5;
  for (const c of Buffer.from(id, 'utf8')) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return (seed ^ h) >>> 1;
}

/** Id of tenant `index`'s demo subscription (the single-tenant demo's id ends in 01). */
export function tenantDemoSubscriptionId(index: number): string {
  return `0d3e0d3e-5e55-4a11-8c0d-${(0x100 + index).toString(16).padStart(12, '0')}`;
}
