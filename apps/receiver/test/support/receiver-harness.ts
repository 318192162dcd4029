import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import type { Readable } from 'node:stream';
import { Queue, type JobState } from 'bullmq';
import { Agent, request } from 'undici';
import { loadConfig } from '@cprh/config';
import { createRedis, inboxBytes, type DeadLetterData, type InboxJobData } from '@cprh/pipeline';
import { createLogger } from '@cprh/runtime';
import {
  clusterTestEnv,
  pipelineTestEnv,
  validateAgainstXsd,
  type DevPki,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { RECEIVER_SECTIONS, startReceiver, type RunningReceiver } from '../../src';

import { pushBody } from './push-body';

export { SAMPLE, pushBody } from './push-body';

export interface PushReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  statusKode: number | undefined;
  fejl: string | undefined;
}

/** A client with a certificate (mutual TLS) and keep-alive connections, like Beskedfordeler. */
export function pushClient(pki: DevPki, opts: { connections?: number; cert?: string; key?: string } = {}) {
  const agent = new Agent({
    connect: {
      ca: readFileSync(pki.files.ca, 'utf8'),
      ...(opts.cert === undefined ? {} : { cert: readFileSync(opts.cert, 'utf8') }),
      ...(opts.key === undefined ? {} : { key: readFileSync(opts.key, 'utf8') }),
    },
    connections: opts.connections ?? 4,
  });
  const send = async (
    url: string,
    body: string | Buffer | Readable,
    o: { method?: string; contentType?: string | null; headers?: Record<string, string> } = {},
  ): Promise<PushReply> => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.contentType !== null) headers['content-type'] = o.contentType ?? 'application/xml; charset=utf-8';
    const method = (o.method ?? 'POST') as 'POST';
    const res = await request(url, {
      method,
      dispatcher: agent,
      headers,
      ...(method === 'POST' || method === ('PUT' as 'POST') ? { body } : {}),
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      body: text,
      statusKode: Number(/<[\w:]*StatusKode>(\d+)</.exec(text)?.[1] ?? NaN) || undefined,
      fejl: /<[\w:]*FejlbeskedTekst>([^<]*)</.exec(text)?.[1],
    };
  };
  return { send, close: () => agent.close() };
}

/**
 * A raw request over mutual TLS (the dev client certificate): `request` is written as is once the
 * handshake is done, and the promise gives everything the receiver sent until it closed. For
 * requests no HTTP client would send (half a request line, a body shorter than announced).
 */
export function rawTlsExchange(pki: DevPki, port: number, request: string): Promise<string> {
  const socket = connect({
    host: '127.0.0.1',
    port,
    ca: readFileSync(pki.files.ca),
    cert: readFileSync(pki.files.clientCert),
    key: readFileSync(pki.files.clientKey),
    servername: 'localhost',
  });
  return new Promise<string>((resolve, reject) => {
    let got = '';
    socket.on('secureConnect', () => socket.write(request));
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('end', () => resolve(got));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

/** Fails the test unless every answer body is a valid ModtagBeskedOutput. */
export async function expectValidAnswers(replies: readonly PushReply[]): Promise<void> {
  const errors = await validateAgainstXsd(
    'AnvendersystemOperationer.xsd',
    replies.map((r) => r.body),
  );
  if (errors.length > 0) throw new Error(`answers not valid against the XSD: ${errors.join('; ')}`);
  for (const r of replies) {
    if (!/^<\?xml[^>]*\?>\s*<sts:ModtagBeskedOutput /.test(r.body))
      throw new Error(`unexpected root: ${r.body}`);
  }
}

/** Every state a job the receiver stored can be in (no worker runs in these tests, but a view may). */
export const STORED_JOB_STATES: JobState[] = [
  'waiting',
  'active',
  'completed',
  'failed',
  'delayed',
  'prioritized',
];

/** A receiver on port 0 with its own key prefix, a dev PKI and views of its inbox and dead letters. */
export interface ReceiverUnderTest {
  env: PipelineTestEnv;
  receiver: RunningReceiver;
  url: string;
  inbox: Queue<InboxJobData>;
  dead: Queue<DeadLetterData>;
  /** Ids and exact bytes of every inbox job. */
  inboxJobs(): Promise<{ id: string; body: Buffer; data: InboxJobData }[]>;
  deadLetters(): Promise<{ id: string; body: Buffer; data: DeadLetterData }[]>;
  /** Stops the receiver, then release(). */
  stop(): Promise<void>;
  /** Closes the harness's own Redis client and queues and removes the test's keys and queue. */
  release(): Promise<void>;
}

/**
 * A test env for a receiver on port 0 with the dev PKI's server certificate and client CA, on the
 * shared Redis or a test's own cluster; `overrides` win.
 */
export function receiverTestEnv(
  pki: DevPki,
  overrides: Record<string, string>,
  cluster: { readonly seeds: string } | undefined,
): PipelineTestEnv {
  const settings = {
    RECEIVER_PORT: '0',
    LOG_LEVEL: 'error',
    RECEIVER_TLS_CERT_FILE: pki.files.serverCert,
    RECEIVER_TLS_KEY_FILE: pki.files.serverKey,
    RECEIVER_CLIENT_CA_FILE: pki.files.ca,
    ...overrides,
  };
  return cluster ? clusterTestEnv(cluster, settings) : pipelineTestEnv(settings);
}

export async function startTestReceiver(
  pki: DevPki,
  overrides: Record<string, string> = {},
  /** A test's own Redis Cluster (startRedisCluster) instead of the shared Redis. */
  cluster?: { readonly seeds: string },
): Promise<ReceiverUnderTest> {
  const env = receiverTestEnv(pki, overrides, cluster);
  const config = loadConfig(RECEIVER_SECTIONS, env.env);
  let receiver: RunningReceiver;
  try {
    receiver = await startReceiver(config, createLogger('receiver-test', env.env.LOG_LEVEL ?? 'warn'));
  } catch (err) {
    // A start that fails (port taken) has already written its inbox queue's meta key: remove it.
    await env.cleanup();
    throw err;
  }
  const redis = createRedis(config.redis, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const opts = { connection: redis, prefix: config.pipeline.queuePrefix };
  const inbox = new Queue<InboxJobData>(config.pipeline.inboxQueue, opts);
  const dead = new Queue<DeadLetterData>(config.pipeline.deadQueue, opts);
  inbox.on('error', () => undefined);
  dead.on('error', () => undefined);
  const jobsOf = async <T extends InboxJobData>(
    q: Queue<T>,
  ): Promise<{ id: string; body: Buffer; data: T }[]> =>
    (await q.getJobs(STORED_JOB_STATES)).map((j) => ({
      id: j.id ?? '',
      body: inboxBytes(j.data) ?? Buffer.alloc(0),
      data: j.data as T,
    }));
  const release = async (): Promise<void> => {
    await inbox.close();
    await dead.close();
    redis.disconnect();
    await env.cleanup();
  };
  return {
    env,
    receiver,
    url: receiver.url,
    inbox,
    dead,
    inboxJobs: () => jobsOf(inbox),
    deadLetters: () => jobsOf(dead),
    async stop() {
      await receiver.stop();
      await release();
    },
    release,
  };
}

export interface PushRunResult {
  /** HTTP status counts over every attempt. */
  statuses: Map<number, number>;
  /** BeskedIds answered 20, in answer order. */
  accepted: string[];
  attempts: number;
}

/**
 * Pushes every body with `concurrency` requests at once over one keep-alive client; like
 * Beskedfordeler it sends a message again after a 503 or a dropped connection (after `retryMs`),
 * until it is answered 20. `onAnswer` sees each answer (e.g. to take Redis away mid-run).
 */
export async function pushAll(
  client: ReturnType<typeof pushClient>,
  url: string,
  ids: readonly string[],
  o: { concurrency: number; retryMs?: number; deadlineMs?: number; onAnswer?: (r: PushRunResult) => void },
): Promise<PushRunResult> {
  const result: PushRunResult = { statuses: new Map(), accepted: [], attempts: 0 };
  const deadline = Date.now() + (o.deadlineMs ?? 60_000);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < ids.length; i = next++) {
      const id = ids[i]!;
      const body = pushBody(id);
      for (;;) {
        if (Date.now() > deadline) throw new Error(`push run past its deadline at ${id}`);
        result.attempts++;
        const r = await client.send(url, body).catch(() => undefined);
        const status = r?.status ?? 0;
        result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
        o.onAnswer?.(result);
        if (r?.status === 200 && r.statusKode === 20) {
          result.accepted.push(id);
          break;
        }
        if (r !== undefined && r.status !== 503) throw new Error(`unexpected answer ${r.status} for ${id}`);
        await new Promise((res) => setTimeout(res, o.retryMs ?? 50));
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));
  return result;
}
