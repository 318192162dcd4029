import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import { STREAM_FIELDS } from '@cprh/besked';
import { redactUrl, webhookSecretBytes, type WebhookEndpoint } from '@cprh/config';
import { createProducerRedis, PipelineError } from '@cprh/pipeline';
import {
  buildRequest,
  DeliveryStore,
  EndpointClient,
  endpointStatuses,
  personKeyOf,
  personSlot,
  startListenServer,
  WebhooksError,
  type EndpointStatus,
} from '@cprh/webhooks';
import type { Command } from '../command';
import { UsageError } from '../command';
import { tenantConfig } from '../tenant-scope';

const USAGE = [
  'usage: cprh webhooks list [--json]',
  '       cprh webhooks dead ID [--json]',
  '       cprh webhooks replay ID (--all | EVENT_ID…)',
  '       cprh webhooks enable ID | disable ID',
  '       cprh webhooks test ID',
  '       cprh webhooks listen [--port P] --secret whsec_… [--secret …]',
].join('\n');

const out = (s: string): boolean => process.stdout.write(s + '\n');

/** Endpoints of WEBHOOKS_FILE when it is set (for `test`, and to list endpoints no process registered yet). */
function fileEndpoints(): WebhookEndpoint[] {
  return tenantConfig(['webhooks']).webhooks.endpoints;
}

async function connect(): Promise<{ redis: Redis; prefix: string; eventsStream: string }> {
  const config = tenantConfig(['redis', 'pipeline']);
  const redis = createProducerRedis(config.redis, 'cprh-webhooks-cli');
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (err) {
    throw new PipelineError(
      'PIPELINE_REDIS_UNREACHABLE',
      `Redis is not reachable at ${redactUrl(config.redis.url)}; start it with \`redis-server\``,
      { cause: err },
    );
  }
  return { redis, prefix: config.pipeline.queuePrefix, eventsStream: config.pipeline.eventsStream };
}

function age(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

/** Statuses from Redis, plus endpoints of WEBHOOKS_FILE that no delivery process has registered yet. */
async function statuses(redis: Redis, prefix: string, eventsStream: string): Promise<EndpointStatus[]> {
  const known = await endpointStatuses(redis, prefix);
  for (const e of fileEndpoints()) {
    if (known.some((k) => k.id === e.id)) continue;
    const store = new DeliveryStore(redis, prefix, e.id);
    const [disabled, dead] = await Promise.all([store.disabled(), store.deadCount()]);
    known.push({
      id: e.id,
      url: e.url,
      stream: e.stream ?? eventsStream,
      types: e.types,
      concurrency: e.concurrency,
      mode: e.mode,
      seenAt: 0,
      state: disabled === null ? 'enabled' : 'disabled',
      disabled,
      backlog: 0,
      oldestUndeliveredSeconds: null,
      deadLetters: dead,
    });
  }
  return known.sort((a, b) => a.id.localeCompare(b.id));
}

async function requireEndpoint(
  redis: Redis,
  prefix: string,
  eventsStream: string,
  id: string,
): Promise<EndpointStatus> {
  const s = (await statuses(redis, prefix, eventsStream)).find((e) => e.id === id);
  if (s === undefined) {
    throw new WebhooksError('WEBHOOKS_ENDPOINT_UNKNOWN', `no webhook endpoint "${id}" (cprh webhooks list)`);
  }
  return s;
}

/** The stream entry of an event id, looked for from the newest entry back (XREVRANGE in pages). */
async function findEntry(
  redis: Redis,
  stream: string,
  eventId: string,
): Promise<{ entryId: string; json: string } | null> {
  let end = '+';
  for (;;) {
    const rows = await redis.xrevrange(stream, end, '-', 'COUNT', 1000);
    for (const [entryId, fields] of rows) {
      const f = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i] ?? '', fields[i + 1] ?? '');
      if (f.get(STREAM_FIELDS.id) === eventId) return { entryId, json: f.get(STREAM_FIELDS.event) ?? '' };
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < 1000) return null;
    // The next page ends just before the last entry seen.
    const [ms, seq] = last[0].split('-').map(Number);
    end = seq !== undefined && seq > 0 ? `${ms}-${seq - 1}` : `${(ms ?? 1) - 1}`;
  }
}

async function listen(port: number, secrets: string[]): Promise<number> {
  for (const s of secrets) {
    const problem = webhookSecretBytes(s);
    if (typeof problem === 'string') throw new UsageError(`--secret ${problem}`);
  }
  const server = await startListenServer({
    secrets,
    port,
    onRequest: (r) => {
      const verdict = r.refused === null ? 'verified' : `REFUSED (${r.refused})`;
      out(
        `${new Date().toISOString()}  ${verdict}  webhook-id=${r.id ?? '-'}  content-type=${r.contentType ?? '-'}`,
      );
      try {
        out(JSON.stringify(JSON.parse(r.body), null, 2));
      } catch {
        out(r.body);
      }
    },
  });
  out(`listening on ${server.url} (answers 204 when the signature verifies, 401 when not; Ctrl-C stops)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  return 0;
}

/**
 * `cprh webhooks`: the operator's view of webhook endpoints (state, backlog, dead letters), replay,
 * enable/disable, a signed test event, and a local receiver that verifies signatures.
 */
export const webhooks: Command = async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        all: { type: 'boolean' },
        port: { type: 'string' },
        secret: { type: 'string', multiple: true },
      },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const [sub, id, ...rest] = parsed.positionals;
  const { json, all, port, secret } = parsed.values;
  if (sub === 'listen') {
    if (id !== undefined || secret === undefined) throw new UsageError(`listen needs --secret\n${USAGE}`);
    const p = port === undefined ? 8787 : Number(port);
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new UsageError(`--port must be 0-65535\n${USAGE}`);
    return listen(p, secret);
  }
  const needsId = ['dead', 'replay', 'enable', 'disable', 'test'];
  if (sub === undefined || !(sub === 'list' || needsId.includes(sub))) throw new UsageError(USAGE);
  if (needsId.includes(sub) && id === undefined)
    throw new UsageError(`${sub} needs an endpoint ID\n${USAGE}`);
  if (sub === 'replay' && (all === true) === rest.length > 0) {
    throw new UsageError(`replay needs --all or event ids\n${USAGE}`);
  }
  if (sub !== 'replay' && rest.length > 0) throw new UsageError(USAGE);

  const { redis, prefix, eventsStream } = await connect();
  try {
    if (sub === 'list') {
      const list = await statuses(redis, prefix, eventsStream);
      if (json) {
        out(JSON.stringify(list, null, 2));
        return 0;
      }
      if (list.length === 0) out('no webhook endpoints (set WEBHOOKS_FILE and start the webhooks process)');
      for (const s of list) {
        const why = s.disabled === null ? '' : ` (${s.disabled.reason}, ${iso(s.disabled.at)})`;
        out(
          `${s.id}  ${s.state}${why}  backlog=${s.backlog}  oldest=${age(s.oldestUndeliveredSeconds)}  dead=${s.deadLetters}  ${s.url}`,
        );
      }
      return 0;
    }
    const endpoint = await requireEndpoint(redis, prefix, eventsStream, id ?? '');
    const store = new DeliveryStore(redis, prefix, endpoint.id);
    if (sub === 'dead') {
      const dead = await store.deadLetters();
      if (json) out(JSON.stringify(dead, null, 2));
      else if (dead.length === 0) out(`no dead letters for ${endpoint.id}`);
      else {
        for (const d of dead) {
          out(
            `${d.eventId}  attempts=${d.attempts}  status=${d.lastStatus ?? '-'}  error=${d.lastError ?? '-'}  dead=${iso(d.deadAt)}  entry=${d.entryId}`,
          );
        }
      }
    } else if (sub === 'replay') {
      const ids = all ? (await store.deadLetters()).map((d) => d.eventId) : rest;
      let missing = 0;
      for (const eventId of ids) {
        if (await store.replayDead(eventId)) {
          out(`replaying dead letter ${eventId}`);
          continue;
        }
        // Not a dead letter: send it again from the stream (e.g. a receiver lost what it got).
        const entry = await findEntry(redis, endpoint.stream, eventId);
        if (entry === null) {
          process.stderr.write(
            `WEBHOOKS_DEAD_LETTER_UNKNOWN: ${eventId}: no dead letter and not in ${endpoint.stream}\n`,
          );
          missing += 1;
          continue;
        }
        const slot = personSlot(personKeyOf(JSON.parse(entry.json) as Parameters<typeof personKeyOf>[0]));
        await store.enqueue(entry.entryId, eventId, slot);
        out(`replaying ${eventId} from ${endpoint.stream}`);
      }
      out(`queued ${ids.length - missing} event${ids.length - missing === 1 ? '' : 's'} for ${endpoint.id}`);
      return missing > 0 ? 1 : 0;
    } else if (sub === 'enable') {
      const was = await store.enable();
      out(was ? `${endpoint.id} enabled` : `${endpoint.id} was enabled already`);
    } else if (sub === 'disable') {
      await store.disable('disabled by an operator (cprh webhooks disable)');
      out(`${endpoint.id} disabled: nothing is sent until \`cprh webhooks enable ${endpoint.id}\``);
    } else if (sub === 'test') {
      const e = fileEndpoints().find((f) => f.id === endpoint.id);
      if (e === undefined) {
        throw new WebhooksError(
          'WEBHOOKS_ENDPOINT_UNKNOWN',
          `endpoint "${endpoint.id}" is not in WEBHOOKS_FILE (its secret is needed)`,
        );
      }
      const event = {
        specversion: '1.0',
        id: randomUUID(),
        source: 'urn:cpr-haendelser:webhooks:test',
        type: 'dk.cpr-haendelser.webhooks.test',
        datacontenttype: 'application/json',
        time: new Date().toISOString(),
        data: { test: true, endpoint: e.id },
      };
      const client = new EndpointClient(e);
      try {
        const r = await client.send(
          buildRequest(JSON.stringify(event), e.mode, e.secrets, Math.floor(Date.now() / 1000)),
        );
        const ms = Math.round(r.seconds * 1000);
        if (r.status !== undefined && r.status >= 200 && r.status < 300) {
          out(`${e.id}: test event ${event.id} answered ${r.status} in ${ms} ms`);
          return 0;
        }
        out(`${e.id}: test event ${event.id} failed: ${r.error ?? 'no answer'} (${ms} ms)`);
        return 1;
      } finally {
        await client.close();
      }
    }
    return 0;
  } finally {
    redis.disconnect();
  }
};
