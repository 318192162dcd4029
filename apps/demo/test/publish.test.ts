import { peekBeskedId } from '@cprh/besked';
import { appMain, pipelineTestEnv, readFixture, spawnTs, fixturePath, withAmqpChannel } from '@cprh/testkit';

const DEMO_MAIN = appMain('demo');

describe('cprh-demo publish', () => {
  it('publishes each file N times with fresh BeskedIds, persistent, with a messageId', async () => {
    const t = pipelineTestEnv();
    try {
      const file = fixturePath('beskeder/testbesked01.xml');
      const p = spawnTs(DEMO_MAIN, t.env, [
        'publish',
        file,
        fixturePath('beskeder/testbesked02.xml'),
        '--count',
        '3',
        '--queue',
        t.dueslag,
      ]);
      expect(await p.waitForExit()).toBe(0);
      expect(p.lines).toContain(`published 6 messages to ${t.dueslag}`);
      const got = await withAmqpChannel(async (ch) => {
        const out: { id: string | null; messageId: unknown; persistent: boolean }[] = [];
        for (;;) {
          const m = await ch.get(t.dueslag, { noAck: true });
          if (m === false) return out;
          out.push({
            id: peekBeskedId(m.content.toString()),
            messageId: m.properties.messageId,
            persistent: m.properties.deliveryMode === 2,
          });
        }
      });
      expect(got).toHaveLength(6);
      expect(new Set(got.map((g) => g.id)).size).toBe(6);
      expect(got.map((g) => g.id)).not.toContain(peekBeskedId(readFixture('beskeder/testbesked01.xml')));
      expect(new Set(got.map((g) => g.messageId)).size).toBe(6);
      expect(got.every((g) => g.persistent)).toBe(true);
    } finally {
      await t.cleanup();
    }
  });

  it.each([[['publish']], [['publish', 'x.xml', '--count', 'many']], [['publish', '/nonexistent.xml']]])(
    'exits 2 on wrong usage: %j',
    async (args) => {
      const p = spawnTs(DEMO_MAIN, pipelineTestEnv().env, args);
      expect(await p.waitForExit()).toBe(2);
      expect(p.stderrLines[0]).toMatch(/^cprh-demo publish: /);
    },
  );
});
