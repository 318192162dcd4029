import { z } from 'zod';
import { defineSection } from './define-section';
import { nonNegativeInt, positiveInt } from './common-types';
import { TENANT_ID_PATTERN } from './tenants-file';

/** BullMQ queue names become Redis key parts joined with ':'; a ':' inside a name would break them. */
const queueName = z
  .string()
  .min(1)
  .regex(/^[^:\s]+$/, 'may not contain ":" or spaces');

/** One extra stream an event is copied to, chosen by catalogue event name or by beskedtype. */
export type Route =
  | { readonly kind: 'event'; readonly event: string; readonly stream: string }
  | { readonly kind: 'beskedtype'; readonly beskedtype: string; readonly stream: string };

/**
 * ROUTES: comma-separated `match=stream` pairs; `match` is a catalogue event name (`foedsel`) or
 * `beskedtype:<id>`. Example: `foedsel=cpr:events:foedsel,beskedtype:248ce14c-...=cpr:events:cpr`.
 */
const routes = z
  .string()
  .default('')
  .transform((text, ctx): Route[] => {
    const out: Route[] = [];
    for (const part of text.split(',').map((p) => p.trim())) {
      if (part === '') continue;
      const eq = part.lastIndexOf('=');
      const match = eq > 0 ? part.slice(0, eq).trim() : '';
      const stream = eq > 0 ? part.slice(eq + 1).trim() : '';
      if (match === '' || stream === '' || /\s/.test(stream)) {
        ctx.addIssue({ code: 'custom', message: `expected match=stream, got "${part}"` });
        return z.NEVER;
      }
      if (match.startsWith('beskedtype:')) {
        const beskedtype = match.slice('beskedtype:'.length).trim().toLowerCase();
        if (beskedtype === '') {
          ctx.addIssue({ code: 'custom', message: `empty beskedtype in "${part}"` });
          return z.NEVER;
        }
        out.push({ kind: 'beskedtype', beskedtype, stream });
      } else if (/^[a-z0-9_-]+$/.test(match)) {
        out.push({ kind: 'event', event: match, stream });
      } else {
        ctx.addIssue({
          code: 'custom',
          message: `"${match}" is neither an event name ([a-z0-9_-]) nor beskedtype:<id>`,
        });
        return z.NEVER;
      }
    }
    return out;
  });

/**
 * ROUTES_MAX_AGE_SECONDS: `stream=seconds` pairs, a stream's own EVENTS_MAX_AGE_SECONDS (0 = never
 * trimmed by age), e.g. `cpr:events:foedsel=86400`.
 */
const streamAges = z
  .string()
  .default('')
  .transform((text, ctx): { stream: string; seconds: number }[] => {
    const out: { stream: string; seconds: number }[] = [];
    for (const part of text.split(',').map((p) => p.trim())) {
      if (part === '') continue;
      const eq = part.lastIndexOf('=');
      const stream = eq > 0 ? part.slice(0, eq).trim() : '';
      const seconds = eq > 0 ? part.slice(eq + 1).trim() : '';
      if (stream === '' || /\s/.test(stream) || !/^\d+$/.test(seconds)) {
        ctx.addIssue({ code: 'custom', message: `expected stream=seconds, got "${part}"` });
        return z.NEVER;
      }
      out.push({ stream, seconds: Number(seconds) });
    }
    return out;
  });

/** One stream the worker writes, with the age after which its entries are trimmed (0 = never). */
export interface RetainedStream {
  readonly stream: string;
  readonly maxAgeSeconds: number;
}

/**
 * Test-only switch: at a dangerous moment kill the process with SIGKILL (`crash-*`) or close the
 * AMQP channel (`close-channel-after-persist`), so tests can prove that nothing is lost or
 * duplicated. Never set it in production.
 */
export const FAULT_POINTS = [
  'off',
  'crash-after-persist',
  'close-channel-after-persist',
  'crash-before-dispatch',
  'crash-after-dispatch',
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

// Names shared by every process that touches the inbox, dead letters and the event stream.
export const pipelineSettings = defineSection({
  env: {
    /** BullMQ key prefix; use a hash tag (e.g. `{cprh}`) to keep a queue's keys in one Cluster slot. */
    QUEUE_PREFIX: z.string().min(1).regex(/^\S+$/, 'may not contain spaces').default('cprh'),
    INBOX_QUEUE: queueName.default('inbox'),
    DEAD_QUEUE: queueName.default('dead'),
    /** The queue of requests to move dead letters to KOMBIT's error queue (KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE). */
    ERROR_QUEUE_MOVES_QUEUE: queueName.default('fejlkoe'),
    EVENTS_STREAM: z.string().min(1).regex(/^\S+$/, 'may not contain spaces').default('cpr:events'),
    /** Approximate MAXLEN for every stream the worker writes; 0 = no trimming. */
    EVENTS_MAXLEN: nonNegativeInt.default(0),
    ROUTES: routes,
    /** Entries older than this are trimmed (XTRIM MINID) from every stream written; 0 = never. */
    EVENTS_MAX_AGE_SECONDS: nonNegativeInt.default(14 * 24 * 3600),
    /** Per-stream ages overriding EVENTS_MAX_AGE_SECONDS (`stream=seconds,...`). */
    ROUTES_MAX_AGE_SECONDS: streamAges,
    /** A consumer group with unread entries this close to the age is reported (metric, log, alert). */
    EVENTS_MAX_AGE_WARN_SECONDS: positiveInt.default(2 * 24 * 3600),
    /** Dead letters older than this are purged (default 30 days); 0 = kept until purged by hand. */
    DEAD_LETTER_MAX_AGE_SECONDS: nonNegativeInt.default(30 * 24 * 3600),
    /** Dead letters this close to their purge are counted in cprh_dead_letters_expiring. */
    DEAD_LETTER_EXPIRY_WARN_SECONDS: positiveInt.default(7 * 24 * 3600),
    /** How long the "already dispatched" record of an event id lives (default 30 days). */
    DISPATCHED_TTL_SECONDS: positiveInt.default(30 * 24 * 3600),
    /** Attempts per inbox job for transient failures (Redis, timeouts); parse errors fail at once. */
    JOB_ATTEMPTS: positiveInt.default(8),
    /** First retry delay; doubles with each attempt (BullMQ exponential backoff). */
    JOB_BACKOFF_MS: positiveInt.default(1000),
    /**
     * Partitions by person (partition-layout.ts in @cprh/pipeline): 1 keeps one inbox and one
     * stream per name; N > 1 gives each partition its own hash tag. Cannot change on existing data.
     */
    PARTITIONS: positiveInt.max(1024, 'must be <= 1024').default(1),
    /**
     * The municipality these settings serve; set per tenant from TENANTS_FILE (tenant-environment.ts),
     * never by hand. It puts every key and stream under the tenant's hash tag (tenantNames below).
     */
    TENANT_ID: z.string().regex(TENANT_ID_PATTERN, 'expected 1-31 of a-z, 0-9 and -').optional(),
    FAULT_INJECT: z.enum(FAULT_POINTS).default('off'),
    /** Which occurrence of the fault point kills the process (1 = the first). */
    FAULT_INJECT_AT: positiveInt.default(1),
  },
  build: (e) => {
    const names = tenantNames(e.QUEUE_PREFIX, e.TENANT_ID);
    const routes = e.ROUTES.map((r) => ({ ...r, stream: names.stream(r.stream) }));
    const eventsStream = names.stream(e.EVENTS_STREAM);
    return {
      /** The tenant id when the deployment has a TENANTS_FILE; undefined for a single municipality. */
      tenant: e.TENANT_ID,
      queuePrefix: names.queuePrefix,
      inboxQueue: e.INBOX_QUEUE,
      deadQueue: e.DEAD_QUEUE,
      errorQueueMovesQueue: e.ERROR_QUEUE_MOVES_QUEUE,
      eventsStream,
      /** Receive-sequence counter (INCRBY per batch); same prefix so it shares a hash tag with the inbox. */
      seqKey: `${names.queuePrefix}:${e.INBOX_QUEUE}:seq`,
      /** `<dispatchedKeyPrefix><event id>` marks an event as written to the stream(s). */
      dispatchedKeyPrefix: `${names.queuePrefix}:dispatched:`,
      /** `<orderKeyPrefix><person key>[:gaps|:missing]`: the order gate's keys of one person. */
      orderKeyPrefix: `${names.queuePrefix}:order:`,
      partitions: e.PARTITIONS,
      eventsMaxLen: e.EVENTS_MAXLEN,
      routes,
      /** The main stream and every route stream, each with the age its entries are trimmed at. */
      retainedStreams: retainedStreams(
        eventsStream,
        routes,
        e.EVENTS_MAX_AGE_SECONDS,
        e.ROUTES_MAX_AGE_SECONDS.map((o) => ({ ...o, stream: names.stream(o.stream) })),
      ),
      eventsMaxAgeWarnSeconds: e.EVENTS_MAX_AGE_WARN_SECONDS,
      deadLetterMaxAgeSeconds: e.DEAD_LETTER_MAX_AGE_SECONDS,
      deadLetterExpiryWarnSeconds: e.DEAD_LETTER_EXPIRY_WARN_SECONDS,
      dispatchedTtlSeconds: e.DISPATCHED_TTL_SECONDS,
      jobAttempts: e.JOB_ATTEMPTS,
      jobBackoffMs: e.JOB_BACKOFF_MS,
      fault: { point: e.FAULT_INJECT, at: e.FAULT_INJECT_AT },
    };
  },
});

/**
 * Where a tenant's keys and streams live. Without a tenant: the settings as given. With tenant
 * `aarhus` and QUEUE_PREFIX `cprh` (braces stripped) the tenant's hash tag is `{cprh:aarhus}`: it is
 * the queue prefix of every BullMQ queue and key, and the suffix of every stream
 * (`cpr:events:{cprh:aarhus}`), so one tenant's data shares a Cluster slot and no tenant's events
 * can reach another's stream. Partitions (partition-layout.ts) split the tag further.
 */
export function tenantNames(
  queuePrefix: string,
  tenant: string | undefined,
): { queuePrefix: string; stream: (name: string) => string } {
  if (tenant === undefined) return { queuePrefix, stream: (name) => name };
  const tag = `{${queuePrefix.replace(/[{}]/g, '')}:${tenant}}`;
  return { queuePrefix: tag, stream: (name) => `${name.replace(/[{}]/g, '')}:${tag}` };
}

function retainedStreams(
  main: string,
  routes: readonly Route[],
  maxAge: number,
  overrides: readonly { stream: string; seconds: number }[],
): RetainedStream[] {
  const names = [...new Set([main, ...routes.map((r) => r.stream), ...overrides.map((o) => o.stream)])];
  return names.map((stream) => ({
    stream,
    maxAgeSeconds: overrides.find((o) => o.stream === stream)?.seconds ?? maxAge,
  }));
}
