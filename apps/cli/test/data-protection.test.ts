import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { cprNumbersIn, peekBeskedId } from '@cprh/besked';
import { loadConfig } from '@cprh/config';
import {
  createDeadQueue,
  createInboxQueue,
  encodeBody,
  InboxWriter,
  personKey,
  personOrderKeys,
  recordDeadLetter,
} from '@cprh/pipeline';
import { createLogger } from '@cprh/runtime';
import { cprPersonKey, DeliveryStore, endpointRegistryKey, personSlot } from '@cprh/webhooks';
import {
  dumpKeys,
  pipelineTestEnv,
  readFixture,
  TEST_REDIS_URL,
  waitFor,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { startWorker, WORKER_SECTIONS } from '@cprh/worker';
import { runCli } from './support/run-cli';

const fresh = (xml: string, id: string): string => xml.replace(peekBeskedId(xml) ?? '', id);
const TEN_DIGITS = /(?<!\d)\d{6}-?\d{4}(?!\d)/;

/**
 * One small system for every data-protection command: two events (fixture 01: a birth, persons
 * 2204151234 and 2512484916; fixture 02: persons 2204111236 and 2512484915) dispatched to the main
 * and a route stream, a dead letter that does not parse and one that does (fixture 03, the persons
 * of fixture 01 again).
 */
describe('data protection commands: retention, audit, erase, dlq purge --older-than (real Redis)', () => {
  let t: PipelineTestEnv;
  let env: Record<string, string>;
  let dir: string;
  let auditFile: string;
  const redis = new Redis(TEST_REDIS_URL);
  // Fixed ids (every key is under the test's own prefix): the checks for CPR-shaped numbers below
  // then see the same job ids and hashes every run, never a random hex run that looks like one.
  const ids = {
    birth: 'c0ffee00-0000-4000-8000-00000000b001',
    other: 'c0ffee00-0000-4000-8000-00000000b002',
    brokenDead: 'c0ffee00-0000-4000-8000-00000000b003',
    parsedDead: 'c0ffee00-0000-4000-8000-00000000b004',
  };
  const births = () => `${t.prefix}:foedsel`;
  const cli = (...args: string[]) => runCli({ ...env, AUDIT_LOG_FILE: auditFile }, args);
  const audit = (): Record<string, unknown>[] => {
    try {
      return readFileSync(auditFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    t = pipelineTestEnv();
    env = { ...t.env, ROUTES: `foedsel=${t.prefix}:foedsel` };
    dir = mkdtempSync(join(tmpdir(), 'cprh-dp-'));
    auditFile = join(dir, 'audit.log');
    const config = loadConfig(WORKER_SECTIONS, env);
    const inbox = createInboxQueue(redis, config.pipeline);
    const dead = createDeadQueue(redis, config.pipeline);
    const channel = { kind: 'amqp', messageId: undefined, redelivered: false } as const;
    await new InboxWriter(redis, inbox, config.pipeline).persist(
      [
        fresh(readFixture('beskeder/testbesked01.xml'), ids.birth),
        fresh(readFixture('beskeder/testbesked02.xml'), ids.other),
        `<Haendelsesbesked><BeskedId>${ids.brokenDead}</BeskedId> 010190-1234 <unclosed>`,
      ].map((b) => ({ body: Buffer.from(b), source: 'urn:test', receivedAt: Date.now(), channel })),
    );
    const worker = await startWorker(config, createLogger('test', 'silent'));
    try {
      await waitFor('two events', async () => (await redis.xlen(t.stream)) === 2);
      await waitFor('a dead letter', async () => (await dead.getWaitingCount()) === 1);
    } finally {
      await worker.stop();
    }
    const parsed = fresh(readFixture('beskeder/testbesked03.xml'), ids.parsedDead);
    await recordDeadLetter(
      dead,
      `b-${ids.parsedDead}`,
      { body: encodeBody(Buffer.from(parsed)), source: 'urn:test', receivedAt: Date.now(), channel, seq: 9 },
      { code: 'PIPELINE_STREAM_WRONGTYPE', message: 'x', attempts: 8, firstFailedAt: 1, lastFailedAt: 2 },
    );
    await Promise.all([inbox.close(), dead.close()]);
  }, 60000);
  afterAll(async () => {
    await t.cleanup();
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cprh retention prints every key family with counts, sizes, oldest entries and whether it holds CPR numbers', async () => {
    const r = await cli('retention');
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    const row = (name: string) => out.split('\n').find((l) => l.startsWith(name)) ?? '';
    expect(row(`event stream ${t.stream} `)).toMatch(
      /^\S+ \S+ \S+\s+1\s+2\s+[\d.]+ (B|KiB)\s+\d+ s ago\s+yes\s+14 days/,
    );
    expect(row(`event stream ${births()} `)).toMatch(/\s1\s+1\s+/);
    expect(row('completed inbox jobs')).toMatch(
      /^completed inbox jobs\s+2\s+2\s+[\d.]+ (B|KiB)\s+\d+ s ago\s+no\s/,
    );
    expect(row('failed inbox jobs')).toMatch(/\s1\s+1\s+.*\sno\s/);
    expect(row('dead letters')).toMatch(/^dead letters\s+2\s+2\s+.*\syes\s+30 days/);
    expect(row('dispatch markers')).toMatch(/^dispatch markers\s+2\s+2\s+.*≈\d+ s ago\s+no\s/);
    expect(row('receive sequence')).toMatch(/\s1\s+1\s/);
    expect(out).toMatch(/completed inbox jobs holding message bytes: 0 of 2 looked at/);
    // The README's rows for features not in this build are there, unmeasured.
    expect(row('per-person ordering gate (when enabled)')).toMatch(
      /\s—\s+—\s+—\s+—\s+hash\s+until dispatched/,
    );
    expect(row('webhook delivery state (when enabled)')).toMatch(/\s—\s/);
    expect(out).not.toMatch(TEN_DIGITS);
    const json = JSON.parse((await cli('retention', '--json')).stdout.toString()) as {
      rows: { id: string }[];
    };
    expect(json.rows.map((x) => x.id)).toContain('other');
  });

  it('cprh inspect --dead masks CPR numbers; --show-cpr shows them and writes one audit line', async () => {
    const before = audit().length;
    const masked = await cli('inspect', '--dead', `b-${ids.parsedDead}`);
    expect(masked.code).toBe(0);
    expect(masked.stdout.toString()).toContain('xxxxxx-xxxx');
    expect(masked.stdout.toString()).not.toMatch(TEN_DIGITS);
    expect(audit()).toHaveLength(before);

    const shown = await cli('inspect', '--dead', `b-${ids.parsedDead}`, '--show-cpr');
    expect(shown.code).toBe(0);
    expect(cprNumbersIn(shown.stdout.toString())).toContain('2204151234');
    const lines = audit().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      audit: true,
      who: `os:${userInfo().username}`,
      action: 'inspect.dead.show-cpr',
      beskedIds: [ids.parsedDead],
    });
    expect(typeof lines[0]?.time).toBe('number');
    // A finished job holds no message to show.
    const job = await cli('inspect', '--job', `b-${ids.other}`);
    expect(job.code).toBe(2);
    expect(job.stderr).toMatch(/keeps metadata only/);
  });

  it('cprh dlq show --raw writes exactly the bytes and one audit line without them', async () => {
    const before = audit().length;
    const dead = createDeadQueue(redis, loadConfig(['pipeline'], env).pipeline);
    const [broken] = (await dead.getWaiting()).filter((j) => j.id?.startsWith('raw-'));
    await dead.close();
    const r = await cli('dlq', 'show', broken?.id ?? '', '--raw');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain('010190-1234');
    expect(audit().slice(before)).toEqual([
      expect.objectContaining({
        action: 'dlq.show.raw',
        // Its BeskedId cannot be read (not the envelope's form): the dead letter's id stands in.
        beskedIds: [broken?.id],
        deadLetter: broken?.id,
      }),
    ]);
    expect(readFileSync(auditFile, 'utf8')).not.toMatch(TEN_DIGITS);
  });

  it("cprh erase --cpr-file removes one person's messages from every stream and the dead letters, and says what", async () => {
    const cprFile = join(dir, 'person.txt');
    writeFileSync(cprFile, '# the child of fixture 01 and 03\n220415-1234\n');
    const dry = await cli('erase', '--cpr-file', cprFile, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout.toString()).toMatch(/dry run/);
    expect(await redis.xlen(t.stream)).toBe(2);

    // What a crash can leave of the order gate, and a webhook endpoint's state, for both persons.
    const pipeline = loadConfig(['pipeline'], env).pipeline;
    const orderOf = (cpr: string) => personOrderKeys(pipeline.orderKeyPrefix, personKey(cpr, ''));
    await redis.zadd(orderOf('2204151234').pending, 1, 'job-erase-1');
    await redis.zadd(orderOf('2204111236').pending, 2, 'job-keep-1');
    await redis.hset(endpointRegistryKey(t.prefix), 'sag', '{}');
    const store = new DeliveryStore(redis, t.prefix, 'sag');
    const slotOf = (cpr: string) => personSlot(cprPersonKey(cpr));
    await store.holdIntake('tok', 60000);
    await store.accept('tok', ids.birth, '1-1', slotOf('2204151234'), 60000);
    await store.accept('tok', ids.other, '1-2', slotOf('2204111236'), 60000);
    await redis.hset(
      store.keys.dead,
      'wh-dead-1',
      JSON.stringify({ eventId: 'wh-dead-1', entryId: '1-0', slot: slotOf('2204151234'), attempts: 3 }),
    );

    const r = await cli('erase', '--cpr-file', cprFile);
    expect(r.code).toBe(0);
    const out = r.stdout.toString();
    expect(out).toContain(`stream ${t.stream}: removed 1  BeskedIds: ${ids.birth}`);
    expect(out).toContain(`stream ${births()}: removed 1  BeskedIds: ${ids.birth}`);
    expect(out).toContain(`dead letters: removed 1  BeskedIds: ${ids.parsedDead}`);
    expect(out).toContain('inbox jobs: removed 0');
    expect(out).toContain('order keys: removed 1  BeskedIds: job-erase-1');
    expect(out).toContain(`webhooks sag: removed 2  BeskedIds: ${ids.birth} wh-dead-1`);
    expect(out).not.toMatch(TEN_DIGITS);
    // The person's order keys and webhook state are gone; the other person's stay.
    expect(await redis.exists(orderOf('2204151234').pending)).toBe(0);
    expect(await redis.zrange(orderOf('2204111236').pending, 0, -1)).toEqual(['job-keep-1']);
    expect(await redis.exists(store.keys.queue(slotOf('2204151234')))).toBe(0);
    expect(await redis.hkeys(store.keys.dead)).toEqual([]);
    expect(await redis.hkeys(store.keys.heads)).toEqual([slotOf('2204111236')]);
    expect(await redis.zrange(store.keys.backlog, 0, -1)).toEqual([`1-2|${ids.other}`]);
    // The other person's event and the unparseable dead letter stay.
    expect((await redis.xrange(t.stream, '-', '+')).map(([, f]) => f[f.indexOf('id') + 1])).toEqual([
      ids.other,
    ]);
    expect(await redis.xlen(births())).toBe(0);
    const left = (await dumpKeys(redis, t.prefix)).map((k) => k.text).join('\n');
    expect(cprNumbersIn(left)).not.toContain('2204151234');
    expect(cprNumbersIn(left)).toContain('2204111236');
    expect(audit().at(-1)).toMatchObject({
      action: 'erase',
      beskedIds: [ids.birth, ids.parsedDead, 'job-erase-1', 'wh-dead-1'],
      removed: { [`stream ${t.stream}`]: 1, 'dead letters': 1, 'order keys': 1, 'webhooks sag': 2 },
    });
    expect(readFileSync(auditFile, 'utf8')).not.toMatch(TEN_DIGITS);

    writeFileSync(cprFile, '3213451234\n');
    const bad = await cli('erase', '--cpr-file', cprFile);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 1: the first six digits are not a real date/);
    expect(bad.stderr).not.toMatch(TEN_DIGITS);
  });

  it('cprh dlq purge --older-than removes only dead letters recorded before then', async () => {
    const dead = createDeadQueue(redis, loadConfig(['pipeline'], env).pipeline);
    const [letter] = await dead.getWaiting();
    await dead.close();
    await redis.hset(`${t.prefix}:dead:${letter?.id ?? ''}`, 'timestamp', String(Date.now() - 3 * 86400_000));
    expect((await cli('dlq', 'purge', '--older-than', '5d')).stdout.toString()).toMatch(
      /purged 0 dead letters older than 5d/,
    );
    const r = await cli('dlq', 'purge', '--older-than', '2d');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(
      new RegExp(`purged ${letter?.id ?? ''}\\npurged 1 dead letter older than 2d`),
    );
    expect(await redis.exists(`${t.prefix}:dead:${letter?.id ?? ''}`)).toBe(0);
    expect((await cli('dlq', 'purge', '--older-than', 'soon')).code).toBe(2);
  });
});
