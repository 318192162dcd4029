import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import { inboxBytes, inboxJobId, type AuditLog } from '@cprh/pipeline';
import { parseBasicAuth } from './basic-auth';

/** Audits the board's unmasked views (BOARD_SHOW_CPR=true): one line per request that showed messages. */
export interface UnmaskedViewAudit {
  /** Express middleware: collects what one request shows, and writes the audit line when it is answered. */
  readonly middleware: RequestHandler;
  /** Called for each job's data the board formats (unmasked) during a request. */
  shown(data: unknown): void;
}

/**
 * Bull Board formats job data deep inside its own handlers; an AsyncLocalStorage ties each
 * formatted message to the request that shows it. Who: the basic-auth user (`board:<user>`, or
 * `board:anonymous@<address>` on a loopback board without credentials); what: the API path;
 * which: the BeskedIds of the messages whose bytes were in the answer.
 */
export function unmaskedViewAudit(audit: AuditLog): UnmaskedViewAudit {
  const requests = new AsyncLocalStorage<Set<string>>();
  return {
    middleware(req, res, next) {
      const shown = new Set<string>();
      res.on('finish', () => {
        if (shown.size === 0) return;
        const user = parseBasicAuth(req.headers.authorization)?.user;
        audit.record({
          who: user !== undefined ? `board:${user}` : `board:anonymous@${req.socket.remoteAddress ?? '?'}`,
          action: 'board.view',
          beskedIds: [...shown],
          path: req.originalUrl.split('?')[0],
        });
      });
      requests.run(shown, () => next());
    },
    shown(data) {
      const bytes = inboxBytes(data as Parameters<typeof inboxBytes>[0]);
      if (bytes === undefined) return; // metadata only: nothing unmasked to audit
      const { beskedId, jobId } = inboxJobId(bytes);
      requests.getStore()?.add(beskedId ?? jobId);
    },
  };
}
