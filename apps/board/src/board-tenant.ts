import type { Config } from '@cprh/config';

/**
 * One municipality on the board: its id (the group its queues are shown in, the `tenant` label of
 * the queue metrics) and its pipeline settings (its queues and streams under its hash tag).
 */
export interface BoardTenant {
  readonly id: string;
  readonly name: string | undefined;
  readonly pipeline: Config['pipeline'];
}

/** The `tenant` label of a deployment without TENANTS_FILE (design: `default`). */
export const SINGLE_TENANT_LABEL = 'default';

/**
 * Bull Board groups queues whose names share a part before this delimiter: `aarhus.inbox`,
 * `aarhus.dead` are shown under `aarhus`. Tenant ids (a-z, 0-9, `-`) never hold it.
 */
export const TENANT_DELIMITER = '.';

/**
 * The board's municipalities from the tenants a process was started with: undefined without a
 * TENANTS_FILE (the one `default` tenant then has no tenant of its own in the pipeline settings),
 * so the board stays as it was.
 */
export function boardTenants(
  tenants: readonly { id: string; name: string | undefined; config: { pipeline: Config['pipeline'] } }[],
): BoardTenant[] | undefined {
  if (tenants.every((t) => t.config.pipeline.tenant === undefined)) return undefined;
  return tenants.map((t) => ({ id: t.id, name: t.name, pipeline: t.config.pipeline }));
}
