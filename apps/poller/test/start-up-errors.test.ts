import { appMain, freePort, pipelineTestEnv, spawnTs } from '@cprh/testkit';

const POLLER_MAIN = appMain('poller');

// The real process, as an operator starts it: a wrong setting or a missing server is one line, exit 1.
describe('poller start-up', () => {
  it('exits 1 with one line naming the RabbitMQ URL and how to start it', async () => {
    const t = pipelineTestEnv();
    const port = await freePort();
    const p = spawnTs(POLLER_MAIN, { ...t.env, AMQP_URL: `amqp://guest:guest@127.0.0.1:${port}` });
    expect(await p.waitForExit()).toBe(1);
    expect(p.stderrLines).toHaveLength(1);
    expect(p.stderrLines[0]).toContain(`127.0.0.1:${port}`);
    expect(p.stderrLines[0]).toContain('rabbitmq-server -detached');
    expect(p.stderrLines[0]).not.toContain('guest:guest');
    await t.cleanup();
  });

  it('exits 1 with one line naming the bad setting', async () => {
    const t = pipelineTestEnv({ POLLER_MODE: 'push' });
    const p = spawnTs(POLLER_MAIN, t.env);
    expect(await p.waitForExit()).toBe(1);
    expect(p.stderrLines).toEqual([
      expect.stringMatching(/^poller: CONFIG_INVALID: Invalid setting POLLER_MODE: /),
    ]);
  });
});
