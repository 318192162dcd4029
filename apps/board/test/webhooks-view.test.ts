import { Redis } from 'ioredis';
import { loadConfig } from '@cprh/config';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueName } from '@cprh/testkit';
import { DeliveryStore, endpointRegistryKey } from '@cprh/webhooks';
import { startBoard, BOARD_SECTIONS, type RunningBoard } from '../src';

describe('the board webhooks view', () => {
  const prefix = uniqueName('twhboard');
  const redis = new Redis(TEST_REDIS_URL);
  let board: RunningBoard;

  beforeAll(async () => {
    board = await startBoard(
      loadConfig(BOARD_SECTIONS, {
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        EVENTS_STREAM: `${prefix}:events`,
        BOARD_PORT: '0',
        BOARD_USER: 'ops',
        BOARD_PASSWORD: 'pw',
        LOG_LEVEL: 'silent',
      }),
    );
    // What a delivery process registers, and an endpoint a 410 disabled.
    await redis.hset(
      endpointRegistryKey(prefix),
      'sag',
      JSON.stringify({
        id: 'sag',
        url: 'https://sag.example/hook',
        stream: 'cpr:events',
        types: [],
        concurrency: 8,
        mode: 'structured',
        seenAt: Date.now(),
      }),
    );
    await new DeliveryStore(redis, prefix, 'sag').disable('HTTP 410 Gone');
  });

  afterAll(async () => {
    await board.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  const auth = { authorization: `Basic ${Buffer.from('ops:pw').toString('base64')}` };

  it('lists endpoints with state, backlog and dead letters, behind the board credentials', async () => {
    expect((await fetch(`${board.url}webhooks`)).status).toBe(401);
    const html = await (await fetch(`${board.url}webhooks`, { headers: auth })).text();
    expect(html).toContain('<td>sag</td><td><b>disabled</b> (HTTP 410 Gone,');
    expect(html).toContain('<td>https://sag.example/hook</td>');
    const json = (await (
      await fetch(`${board.url}webhooks?format=json`, { headers: auth })
    ).json()) as unknown[];
    expect(json).toEqual([
      expect.objectContaining({
        id: 'sag',
        state: 'disabled',
        backlog: 0,
        deadLetters: 0,
        oldestUndeliveredSeconds: null,
      }),
    ]);
  });
});
