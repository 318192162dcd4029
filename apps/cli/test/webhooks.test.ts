import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { createLogger, type RunningService } from '@cprh/runtime';
import {
  appMain,
  deleteKeysWithPrefix,
  freePort,
  spawnTs,
  TEST_REDIS_URL,
  uniqueName,
  waitFor,
} from '@cprh/testkit';
import { startWebhooks, WEBHOOKS_SECTIONS } from '@cprh/webhooks';

const CLI_MAIN = appMain('cli');

async function cprh(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | string; out: string; err: string }> {
  const p = spawnTs(CLI_MAIN, env, args);
  const code = await p.waitForExit(20000);
  return {
    code,
    out: p.lines.filter((l) => !p.stderrLines.includes(l)).join('\n'),
    err: p.stderrLines.join('\n'),
  };
}

const secret = `whsec_${randomBytes(32).toString('base64')}`;

describe('cprh webhooks', () => {
  const prefix = uniqueName('twhcli');
  const stream = `${prefix}:events`;
  const dir = mkdtempSync(join(tmpdir(), 'cprh-whcli-'));
  const redis = new Redis(TEST_REDIS_URL);
  const env: Record<string, string> = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    EVENTS_STREAM: stream,
    WEBHOOKS_FILE: join(dir, 'webhooks.json'),
    WEBHOOKS_POLL_MS: '50',
    LOG_LEVEL: 'silent',
  };
  let failing = true;
  const received: string[] = [];
  let server: Server;
  let service: RunningService | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        received.push(id);
        res.writeHead(failing ? 500 : 204).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    writeFileSync(
      env.WEBHOOKS_FILE ?? '',
      JSON.stringify({ endpoints: [{ id: 'sag', url, secret, attempts: 2, backoffMs: 20, from: 'all' }] }),
    );
  });

  afterAll(async () => {
    await service?.stop();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists, shows dead letters, replays them, disables and enables, and sends a signed test event', async () => {
    service = await startWebhooks(loadConfig(WEBHOOKS_SECTIONS, env), createLogger('webhooks', 'silent'));
    const event = {
      specversion: '1.0',
      id: randomUUID(),
      source: 'urn:test',
      type: 'dk.kombit.cpr.personhaendelse',
      datacontenttype: 'application/json',
      data: { registreringer: [{ cpr: '0101801234' }], beskeddata: [] },
    };
    await redis.xadd(
      stream,
      '*',
      'event',
      JSON.stringify(event),
      'id',
      event.id,
      'type',
      event.type,
      'seq',
      '1',
    );
    await waitFor('two attempts', () => received.length >= 2);

    const dead = await waitFor('dead letter listed', async () => {
      const r = await cprh(env, 'webhooks', 'dead', 'sag', '--json');
      const list = JSON.parse(r.out) as { eventId: string; attempts: number; lastStatus: number }[];
      return list.length === 1 ? list : undefined;
    });
    expect(dead[0]).toMatchObject({ eventId: event.id, attempts: 2, lastStatus: 500 });
    const human = await cprh(env, 'webhooks', 'dead', 'sag');
    expect(human.out).toMatch(new RegExp(`^${event.id}  attempts=2  status=500  error=HTTP 500`));
    expect(human.out).not.toContain('0101801234');

    const list = await cprh(env, 'webhooks', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(
      /^sag {2}enabled {2}backlog=0 {2}oldest=- {2}dead=1 {2}http:\/\/127\.0\.0\.1:\d+\/hook$/,
    );

    failing = false;
    const replay = await cprh(env, 'webhooks', 'replay', 'sag', '--all');
    expect(replay.out).toContain(`replaying dead letter ${event.id}`);
    await waitFor('replayed', () => received.length >= 3);
    await waitFor(
      'no dead letters',
      async () => (await cprh(env, 'webhooks', 'dead', 'sag')).out === 'no dead letters for sag',
    );

    // A delivered event is sent again from the stream on request.
    const again = await cprh(env, 'webhooks', 'replay', 'sag', event.id);
    expect(again.out).toContain(`replaying ${event.id} from ${stream}`);
    await waitFor('sent again', () => received.length >= 4);
    expect((await cprh(env, 'webhooks', 'replay', 'sag', 'no-such-event')).code).toBe(1);

    expect((await cprh(env, 'webhooks', 'disable', 'sag')).code).toBe(0);
    const listed = JSON.parse((await cprh(env, 'webhooks', 'list', '--json')).out) as { state: string }[];
    expect(listed[0]?.state).toBe('disabled');
    expect((await cprh(env, 'webhooks', 'enable', 'sag')).out).toBe('sag enabled');

    const test = await cprh(env, 'webhooks', 'test', 'sag');
    expect(test.code).toBe(0);
    expect(test.out).toMatch(/^sag: test event \S+ answered 204 in \d+ ms$/);

    const unknown = await cprh(env, 'webhooks', 'enable', 'nope');
    expect([unknown.code, unknown.err]).toEqual([
      1,
      'cprh webhooks: WEBHOOKS_ENDPOINT_UNKNOWN: no webhook endpoint "nope" (cprh webhooks list)',
    ]);
    expect((await cprh(env, 'webhooks', 'replay', 'sag')).code).toBe(2);
  });

  it('listen verifies signatures and prints what it gets; test sends to it', async () => {
    const port = await freePort();
    const listenDir = mkdtempSync(join(tmpdir(), 'cprh-whlisten-'));
    const listener = spawnTs(CLI_MAIN, { LOG_LEVEL: 'silent' }, [
      'webhooks',
      'listen',
      '--port',
      String(port),
      '--secret',
      secret,
    ]);
    try {
      await listener.waitForLine(/listening on/);
      const file = join(listenDir, 'w.json');
      writeFileSync(
        file,
        JSON.stringify({ endpoints: [{ id: 'local', url: `http://127.0.0.1:${port}/`, secret }] }),
      );
      const r = await cprh({ ...env, WEBHOOKS_FILE: file }, 'webhooks', 'test', 'local');
      expect(r.code).toBe(0);
      await listener.waitForLine(/verified {2}webhook-id=\S+ {2}content-type=application\/cloudevents\+json/);
      await listener.waitForLine(/"type": "dk.cpr-haendelser.webhooks.test"/);
      // A wrong secret is refused (401) and shown as such.
      const other = `whsec_${randomBytes(32).toString('base64')}`;
      writeFileSync(
        file,
        JSON.stringify({ endpoints: [{ id: 'local', url: `http://127.0.0.1:${port}/`, secret: other }] }),
      );
      const bad = await cprh({ ...env, WEBHOOKS_FILE: file }, 'webhooks', 'test', 'local');
      expect(bad.out).toMatch(/failed: HTTP 401/);
      await listener.waitForLine(/REFUSED \(no signature matches\)/);
    } finally {
      await listener.stop();
      rmSync(listenDir, { recursive: true, force: true });
    }
  });
});
