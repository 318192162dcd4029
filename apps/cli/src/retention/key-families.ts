/**
 * Every family of keys the product keeps, as the README's retention table lists them: what it
 * holds, whether that includes CPR numbers, how long it lives and which setting changes that.
 * `cprh retention` prints these rows with the counts of a running system.
 */
export interface KeyFamily {
  id: FamilyId;
  name: string;
  keys: string;
  holds: string;
  cpr: 'yes' | 'no' | 'hash';
  lifetime: string;
  setting: string;
}

export type FamilyId =
  | 'streams'
  | 'inbox'
  | 'completed'
  | 'failed'
  | 'dead'
  | 'markers'
  | 'sequence'
  | 'bookkeeping'
  | 'fejlkoe'
  | 'poller'
  | 'ordering'
  | 'webhooks'
  | 'other';

export const KEY_FAMILIES: readonly KeyFamily[] = [
  {
    id: 'streams',
    name: 'event streams',
    keys: '`EVENTS_STREAM`, each `ROUTES` stream',
    holds: 'the CloudEvents (the product): CPR numbers, payload XML',
    cpr: 'yes',
    lifetime: '14 days (trimmed by age), and/or a length',
    setting: '`EVENTS_MAX_AGE_SECONDS`, `ROUTES_MAX_AGE_SECONDS`, `EVENTS_MAXLEN`',
  },
  {
    id: 'inbox',
    name: 'inbox, not yet dispatched',
    keys: '`<prefix>:inbox:<job id>` (waiting, active, delayed)',
    holds: "the message's exact bytes",
    cpr: 'yes',
    lifetime: 'until dispatched (normally < 1 s)',
    setting: '—',
  },
  {
    id: 'completed',
    name: 'completed inbox jobs',
    keys: '`<prefix>:inbox:<job id>` (completed)',
    holds: 'metadata: BeskedId, source, channel, seq, size, times, attempts',
    cpr: 'no',
    lifetime: '7 days (the job-id repeat check)',
    setting:
      '`WORKER_KEEP_COMPLETED_SECONDS`; bytes only with `WORKER_KEEP_COMPLETED_BYTES_SECONDS` (debugging)',
  },
  {
    id: 'failed',
    name: 'failed inbox jobs',
    keys: '`<prefix>:inbox:<job id>` (failed)',
    holds: 'metadata and the reason (the bytes are in the dead letter)',
    cpr: 'no',
    lifetime: '30 days',
    setting: '`WORKER_KEEP_FAILED_SECONDS`',
  },
  {
    id: 'dead',
    name: 'dead letters',
    keys: '`<prefix>:dead:<job id>`',
    holds: "the message's exact bytes (for replay) and the reason",
    cpr: 'yes',
    lifetime: '30 days, then purged (warning 7 days before)',
    setting: '`DEAD_LETTER_MAX_AGE_SECONDS`, `cprh dlq purge [--older-than]`',
  },
  {
    id: 'markers',
    name: 'dispatch markers',
    keys: '`<prefix>:dispatched:<BeskedId>`',
    holds: 'the stream entry id of a dispatched event',
    cpr: 'no',
    lifetime: '30 days (the exactly-once guard)',
    setting: '`DISPATCHED_TTL_SECONDS`',
  },
  {
    id: 'sequence',
    name: 'receive sequence',
    keys: '`<prefix>:inbox:seq`',
    holds: 'one counter',
    cpr: 'no',
    lifetime: 'for ever',
    setting: '—',
  },
  {
    id: 'bookkeeping',
    name: 'queue bookkeeping',
    keys: '`<prefix>:inbox:*`, `<prefix>:dead:*` lists, sets, `events`',
    holds: 'job ids, states, BullMQ events (ids, error codes)',
    cpr: 'no',
    lifetime: 'as the jobs; `events` the last ~10,000',
    setting: '—',
  },
  {
    id: 'fejlkoe',
    name: 'error-queue moves (when enabled)',
    keys: '`<prefix>:<ERROR_QUEUE_MOVES_QUEUE>:*`',
    holds: "dead-letter ids to move to KOMBIT's error queue",
    cpr: 'no',
    lifetime: 'the last 1,000',
    setting: '`KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE`',
  },
  {
    id: 'poller',
    name: 'poll-mode scheduler (when enabled)',
    keys: '`<prefix>:<POLLER_SCHEDULER_QUEUE>-<dueslag>:*`',
    holds: 'tick jobs',
    cpr: 'no',
    lifetime: 'while `POLLER_MODE=poll`',
    setting: '`POLLER_MODE`',
  },
  {
    id: 'ordering',
    name: 'per-person ordering gate (when enabled)',
    keys: '`<prefix>:...` per person',
    holds: 'per-person pending set: person-key hash + job ids',
    cpr: 'hash',
    lifetime: 'until dispatched',
    setting: 'the ordering settings',
  },
  {
    id: 'webhooks',
    name: 'webhook delivery state (when enabled)',
    keys: '`<prefix>:...` webhook keys',
    holds: 'delivery state per event and endpoint',
    cpr: 'no',
    lifetime: 'see the webhook settings',
    setting: 'the webhook settings',
  },
  {
    id: 'other',
    name: 'other keys under the prefix',
    keys: '`<prefix>:*` not above',
    holds: '(listed by `cprh retention` so nothing goes unseen)',
    cpr: 'no',
    lifetime: '—',
    setting: '—',
  },
];
