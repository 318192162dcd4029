import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router as expressRouter, type Router } from 'express';
import { jobDataView, jobTitle } from './job-data-view';
import type { UnmaskedViewAudit } from './unmasked-view-audit';

/**
 * The Bull Board UI and its JSON API for the given queues, mounted at `basePath`.
 * Read-only mode is enforced by Bull Board's API (405 on every changing call), not only hidden in the UI.
 * Job data is shown decoded (the message as text, Base64 payloads unfolded) and, unless `showCpr`,
 * with every CPR number masked; then editing job data is refused too, as saving the masked view
 * would overwrite the message.
 */
export function bullBoardRouter(
  queues: readonly Queue[],
  opts: { basePath: string; readOnly: boolean; showCpr: boolean; audit?: UnmaskedViewAudit },
): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(opts.basePath);
  const mask = !opts.showCpr;
  const adapters = queues.map((q) => {
    const adapter = new BullMQAdapter(q, { readOnlyMode: opts.readOnly });
    adapter.setFormatter('data', (data: unknown) => {
      if (!mask) opts.audit?.shown(data);
      return jobDataView(data, mask);
    });
    adapter.setFormatter('returnValue', (value: unknown) => jobDataView(value, mask));
    adapter.setFormatter('name', (job: { name?: unknown; data?: unknown }) => jobTitle(job, mask));
    return adapter;
  });
  createBullBoard({
    queues: adapters,
    serverAdapter,
    options: { uiConfig: { boardTitle: opts.readOnly ? 'cprh (read-only)' : 'cprh' } },
  });
  const router = expressRouter();
  // Unmasked (BOARD_SHOW_CPR=true): every answer that shows messages is audited.
  if (!mask && opts.audit) router.use(opts.audit.middleware);
  if (mask) {
    router.all(/\/api\/queues\/[^/]+\/[^/]+\/update-data$/, (_req, res) => {
      res.status(405).json({ error: 'job data is shown masked (BOARD_SHOW_CPR=false) and cannot be edited' });
    });
  }
  router.use(serverAdapter.getRouter() as Router);
  return router;
}
