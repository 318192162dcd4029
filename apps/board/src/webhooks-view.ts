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

/** Whose endpoints: a municipality of TENANTS_FILE (`id`), or the one deployment (`id` undefined). */
export interface WebhooksScope {
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly queuePrefix: string;
}

function table(list: readonly EndpointStatus[]): string {
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
  return list.length === 0
    ? '<p>No webhook endpoints: set WEBHOOKS_FILE and start the webhooks process.</p>'
    : `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${list.map(row).join('')}</tbody></table>`;
}

/**
 * `/webhooks` on the board: each webhook endpoint a delivery process registered, with its state,
 * backlog, oldest undelivered event and dead letters (HTML; `?format=json` for scripts). Ids and
 * counts only: no event, no person, no secret. With TENANTS_FILE a section per municipality (JSON:
 * `[{ tenant, name, endpoints }]`), `?tenant=ID` for one.
 */
export function webhooksView(redis: Redis, scopes: readonly WebhooksScope[]) {
  const grouped = scopes.some((s) => s.id !== undefined);
  return async (req: Request, res: Response): Promise<void> => {
    const only = typeof req.query.tenant === 'string' ? req.query.tenant : undefined;
    const wanted = only === undefined ? scopes : scopes.filter((s) => s.id === only);
    if (wanted.length === 0) {
      res.status(404).json({ error: `no tenant ${only ?? ''}` });
      return;
    }
    let lists: EndpointStatus[][];
    try {
      lists = await Promise.all(wanted.map((s) => endpointStatuses(redis, s.queuePrefix)));
    } catch (err) {
      res.status(503).json({ error: `Redis: ${(err as Error).message}` });
      return;
    }
    if (req.query.format === 'json') {
      if (!grouped) res.json(lists[0] ?? []);
      else
        res.json(wanted.map((s, i) => ({ tenant: s.id, name: s.name ?? null, endpoints: lists[i] ?? [] })));
      return;
    }
    const body = grouped
      ? wanted
          .map(
            (s, i) =>
              `<h2 id="${escape(s.id ?? '')}">${escape(s.id ?? '')}${s.name === undefined ? '' : ` (${escape(s.name)})`}</h2>${table(lists[i] ?? [])}`,
          )
          .join('')
      : table(lists[0] ?? []);
    const tenantOption = grouped ? '--tenant ID ' : '';
    res
      .type('html')
      .send(
        `<!doctype html><html><head><meta charset="utf-8"><title>Webhooks</title>` +
          `<meta http-equiv="refresh" content="10">` +
          `<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em .8em;text-align:left;border-bottom:1px solid #ddd}</style>` +
          `</head><body><h1>Webhook endpoints</h1>${body}` +
          `<p>Dead letters: <code>cprh ${tenantOption}webhooks dead ID</code>; replay: <code>cprh ${tenantOption}webhooks replay ID --all</code>; ` +
          `after a 410: <code>cprh ${tenantOption}webhooks enable ID</code>. <a href="./">Queues</a></p></body></html>`,
      );
  };
}
