import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { deleteKeysAt, pipelineTestEnv, TEST_REDIS_URL, type PipelineTestEnv } from '@cprh/testkit';
import {
  createInboxQueue,
  erasePerson,
  InboxWriter,
  mentionsAny,
  partitionOf,
  partitionPipeline,
  personKey,
  personOrderKeys,
} from '../src';

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** A message whose person is only inside a Base64 payload, as KOMBIT's Beskeddata carries it. */
const message = (id: string, cpr: string) =>
  `<Haendelsesbesked><BeskedId>${id}</BeskedId><Beskeddata>${b64(`<PersonCivilRegistrationIdentifier>${cpr}</PersonCivilRegistrationIdentifier>`)}</Beskeddata></Haendelsesbesked>`;

describe('erasePerson (real Redis)', () => {
  let t: PipelineTestEnv | undefined;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });
  afterAll(() => redis.disconnect());

  it('finds a person in plain text, with or without the dash, and inside Base64 payloads', () => {
    const person = new Set(['0101901234']);
    expect(mentionsAny('cpr 010190-1234.', person)).toBe(true);
    expect(mentionsAny('<cpr>0101901234</cpr>', person)).toBe(true);
    expect(mentionsAny(message('x', '0101901234'), person)).toBe(true);
    expect(mentionsAny(message('x', '0202801234'), person)).toBe(false);
    expect(mentionsAny('10101901234', person)).toBe(false); // part of a longer number
  });

  it("removes the person's order keys (pending set, gaps, missing marker) in their partition, and no one else's", async () => {
    t = pipelineTestEnv({ PARTITIONS: '3' });
    const all = loadConfig(['pipeline'], t.env).pipeline;
    const mine = personKey('0101901234', '');
    const cfg = partitionPipeline(all, partitionOf(mine, 3));
    const keys = personOrderKeys(cfg.orderKeyPrefix, mine);
    const theirs = personOrderKeys(cfg.orderKeyPrefix, personKey('0202801234', ''));
    await redis.zadd(keys.pending, 5, 'b-5', 7, 'b-7');
    await redis.zadd(keys.gaps, 3, 'b-3');
    await redis.set(keys.missing, 'b-5|1');
    await redis.zadd(theirs.pending, 6, 'b-6');
    try {
      const person = new Set(['0101901234']);
      const dry = (await erasePerson(redis, cfg, person, true)).find((f) => f.family === 'order keys');
      expect(dry).toMatchObject({
        removed: ['pending', 'gaps', 'missing'],
        beskedIds: ['b-5', 'b-7', 'b-3'],
      });
      expect(await redis.exists(keys.pending, keys.gaps, keys.missing)).toBe(3);
      const done = (await erasePerson(redis, cfg, person)).find((f) => f.family === 'order keys');
      expect(done?.removed).toEqual(['pending', 'gaps', 'missing']);
      expect(await redis.exists(keys.pending, keys.gaps, keys.missing)).toBe(0);
      expect(await redis.zrange(theirs.pending, 0, -1)).toEqual(['b-6']);
      // No key name or reported text carries the number.
      expect(JSON.stringify(done)).not.toContain('0101901234');
    } finally {
      await deleteKeysAt(TEST_REDIS_URL, `{${t.prefix}:p`);
    }
  });

  it("removes waiting inbox jobs about the person (dry run first), and no one else's", async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const inbox = createInboxQueue(redis, cfg);
    try {
      const channel = { kind: 'amqp', messageId: undefined, redelivered: false } as const;
      const [mine, theirs] = await new InboxWriter(redis, inbox, cfg).persist(
        [message('m-1', '0101901234'), message('m-2', '0202801234')].map((b) => ({
          body: Buffer.from(b),
          source: 's',
          receivedAt: 1,
          channel,
        })),
      );
      const person = new Set(['0101901234']);
      const dry = await erasePerson(redis, cfg, person, true);
      expect(dry.find((f) => f.family === 'inbox jobs')?.removed).toEqual([mine]);
      expect(await inbox.getWaitingCount()).toBe(2);

      const done = await erasePerson(redis, cfg, person);
      expect(done.map((f) => [f.family, f.removed.length])).toEqual([
        [`stream ${t.stream}`, 0],
        ['dead letters', 0],
        ['inbox jobs', 1],
        ['order keys', 0],
      ]);
      expect((await inbox.getWaiting()).map((j) => j.id)).toEqual([theirs]);
    } finally {
      await inbox.close();
    }
  });
});
