import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

/**
 * The Bull Board UI and its JSON API for the given queues, mounted at `basePath`.
 * Read-only mode is enforced by Bull Board's API (405 on every changing call), not only hidden in the UI.
 */
export function bullBoardRouter(
  queues: readonly Queue[],
  opts: { basePath: string; readOnly: boolean },
): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(opts.basePath);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: opts.readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: opts.readOnly ? 'cprh (read-only)' : 'cprh' } },
  });
  return serverAdapter.getRouter() as Router;
}
