import type { Logger, RunningService } from '@cprh/runtime';
import type { BoardConfig } from './board-sections';
import { startBoard } from './start-board';

/**
 * The board as one of the product's services (same shape as startPoller/startWorker), for
 * `main.ts` and for `cprh start`, which runs every service in one process.
 */
export async function startBoardService(config: BoardConfig, log: Logger): Promise<RunningService> {
  const board = await startBoard(config, { logger: log });
  log.info(
    { url: board.url, readOnly: !config.board.readWrite, auth: Boolean(config.board.credentials) },
    `board at ${board.url} (metrics ${board.url}metrics)`,
  );
  return { stop: () => board.close() };
}
