import type { Logger, RunningService } from '@cprh/runtime';
import type { BoardConfig } from './board-sections';
import type { BoardTenant } from './board-tenant';
import { startBoard } from './start-board';

/**
 * The board as one of the product's services (same shape as startPoller/startWorker), for
 * `main.ts` and for `cprh start`, which runs every service in one process. `tenants`: the
 * municipalities of TENANTS_FILE, each shown as a group of its own (unset: the one of `config`).
 */
export async function startBoardService(
  config: BoardConfig,
  log: Logger,
  tenants?: readonly BoardTenant[],
): Promise<RunningService> {
  const board = await startBoard(config, { logger: log, ...(tenants === undefined ? {} : { tenants }) });
  log.info(
    {
      url: board.url,
      readOnly: !config.board.readWrite,
      auth: Boolean(config.board.credentials),
      ...(tenants === undefined ? {} : { tenants: tenants.map((t) => t.id) }),
    },
    `board at ${board.url} (metrics ${board.url}metrics)`,
  );
  return { stop: () => board.close() };
}
