import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import { inboxBytes, inboxJobId, type AuditLog } from '@cprh/pipeline';
import { parseBasicAuth } from './basic-auth';

/** A repeat of the same view within this is not written again. */
const REPEAT_MS = 5 * 60 * 1000;

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
export function unmaskedViewAudit(audit: AuditLog, repeatMs = REPEAT_MS): UnmaskedViewAudit {
  const requests = new AsyncLocalStorage<Set<string>>();
  // The board's page polls its API every few seconds: the same user seeing the same messages at the
  // same place again is one view, not one line per poll.
  const recent = new Map<string, number>();
  const isRepeat = (key: string, now: number): boolean => {
    for (const [k, at] of recent) if (now - at > repeatMs) recent.delete(k);
    if (recent.has(key)) return true;
    recent.set(key, now);
    return false;
  };
  return {
    middleware(req, res, next) {
      const shown = new Set<string>();
      res.on('finish', () => {
        if (shown.size === 0) return;
        const user = parseBasicAuth(req.headers.authorization)?.user;
        const who =
          user !== undefined ? `board:${user}` : `board:anonymous@${req.socket.remoteAddress ?? '?'}`;
        const path = req.originalUrl.split('?')[0] ?? '';
        const beskedIds = [...shown].sort();
        if (isRepeat(`${who}\u0000${path}\u0000${beskedIds.join(',')}`, Date.now())) return;
        audit.record({ who, action: 'board.view', beskedIds, path });
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
