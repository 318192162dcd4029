import type { Request, Response } from 'express';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import { endpointStatuses, type EndpointStatus } from '@cprh/webhooks';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function age(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function row(s: EndpointStatus): string {
  const state =
    s.disabled === null
      ? 'enabled'
      : `<b>disabled</b> (${escape(s.disabled.reason)}, ${new Date(s.disabled.at).toISOString()})`;
  const cells = [
    escape(s.id),
    state,
    String(s.backlog),
    age(s.oldestUndeliveredSeconds),
    String(s.deadLetters),
    escape(s.url),
    escape(s.stream),
    escape(s.types.join(', ') || 'all'),
    String(s.concurrency),
  ];
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

/**
 * `/webhooks` on the board: each webhook endpoint a delivery process registered, with its state,
 * backlog, oldest undelivered event and dead letters (HTML; `?format=json` for scripts). Ids and
 * counts only: no event, no person, no secret.
 */
export function webhooksView(redis: Redis, queuePrefix: string) {
  return async (req: Request, res: Response): Promise<void> => {
    let list: EndpointStatus[];
    try {
      list = await endpointStatuses(redis, queuePrefix);
    } catch (err) {
      res.status(503).json({ error: `Redis: ${(err as Error).message}` });
      return;
    }
    if (req.query.format === 'json') {
      res.json(list);
      return;
    }
    const head = [
      'endpoint',
      'state',
      'backlog',
      'oldest undelivered',
      'dead letters',
      'url',
      'stream',
      'types',
      'concurrency',
    ];
    const body =
      list.length === 0
        ? '<p>No webhook endpoints: set WEBHOOKS_FILE and start the webhooks process.</p>'
        : `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${list.map(row).join('')}</tbody></table>`;
    res
      .type('html')
      .send(
        `<!doctype html><html><head><meta charset="utf-8"><title>Webhooks</title>` +
          `<meta http-equiv="refresh" content="10">` +
          `<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em .8em;text-align:left;border-bottom:1px solid #ddd}</style>` +
          `</head><body><h1>Webhook endpoints</h1>${body}` +
          `<p>Dead letters: <code>cprh webhooks dead ID</code>; replay: <code>cprh webhooks replay ID --all</code>; ` +
          `after a 410: <code>cprh webhooks enable ID</code>. <a href="./">Queues</a></p></body></html>`,
      );
  };
}
