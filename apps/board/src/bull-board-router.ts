import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router as expressRouter, type Router } from 'express';
import { jobDataView, jobTitle } from './job-data-view';
import type { UnmaskedViewAudit } from './unmasked-view-audit';

const FULL_TIME: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
};

/**
 * A queue nothing consumes on purpose. Bull Board warns "No workers" when a queue's worker list is
 * empty; `null` means "not known" to it, and no warning is shown.
 */
class UnconsumedQueueAdapter extends BullMQAdapter {
  override getWorkers(): Promise<null> {
    return Promise.resolve(null);
  }
}

/**
 * The Bull Board UI and its JSON API for the given queues, mounted at `basePath`.
 * Read-only mode is enforced by Bull Board's API (405 on every changing call), not only hidden in the UI.
 * Job data is shown decoded (the message as text, Base64 payloads unfolded) and, unless `showCpr`,
 * with every CPR number masked; then editing job data is refused too, as saving the masked view
 * would overwrite the message.
 */
export function bullBoardRouter(
  queues: readonly Queue[],
  opts: {
    basePath: string;
    readOnly: boolean;
    showCpr: boolean;
    /** Queues no worker reads by design (dead letters): no "No workers" warning, a description instead. */
    unconsumed?: ReadonlyMap<Queue, string>;
    /**
     * Shown before a queue's name (PARTITIONS > 1: `p3-`; a tenant's: `aarhus.`), so the partitions'
     * and the tenants' queues stay apart.
     */
    namePrefix?: ReadonlyMap<Queue, string>;
    /** Bull Board groups queues by the part of their name before it (the tenant): `aarhus.inbox`. */
    delimiter?: string;
    audit?: UnmaskedViewAudit;
  },
): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(opts.basePath);
  const mask = !opts.showCpr;
  const adapters = queues.map((q) => {
    const description = opts.unconsumed?.get(q);
    const prefix = opts.namePrefix?.get(q);
    const named = {
      ...(prefix === undefined ? {} : { prefix }),
      ...(opts.delimiter === undefined ? {} : { delimiter: opts.delimiter }),
    };
    const adapter =
      description === undefined
        ? new BullMQAdapter(q, { readOnlyMode: opts.readOnly, ...named })
        : new UnconsumedQueueAdapter(q, { readOnlyMode: opts.readOnly, description, ...named });
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
    options: {
      uiConfig: {
        boardTitle: opts.readOnly ? 'cprh (read-only)' : 'cprh',
        // Bull Board's own times (added, processed): the full date and the offset, in 24-hour time.
        dateFormats: { short: FULL_TIME, common: FULL_TIME, full: FULL_TIME },
      },
    },
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
