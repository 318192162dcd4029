import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  makeDevPki,
  type DevPki,
  pipelineTestEnv,
  repoRoot,
  spawnTs,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import { POLLER_MAIN, DEMO_MAIN } from './support/pipeline-harness';

const readme = (): string => readFileSync(join(repoRoot, 'README.md'), 'utf8');
// As the README's "Error codes" shows them, for the default URLs.
const README_REDIS_LINE =
  'cprh-demo start: PIPELINE_REDIS_UNREACHABLE: Redis is not reachable at redis://127.0.0.1:6379; start it with `redis-server` (or `docker compose up -d redis`), or set REDIS_URL';
const README_AMQP_LINE =
  'cprh-demo start: KOMBIT_AMQP_UNREACHABLE: the AMQP broker is not reachable at amqp://guest:***@127.0.0.1:5672: connect ECONNREFUSED 127.0.0.1:5672; start it with `rabbitmq-server -detached` (or `docker compose up -d rabbitmq`), or set AMQP_URL';

// The README ("Configuration", "Error codes") promises that a failed start prints exactly one line
// on stderr, `<process>: <CODE>: <message>`, and nothing on stdout, and exits 1.
describe('a failed start prints one line', () => {
  let t: PipelineTestEnv;
  const procs: SpawnedProcess[] = [];

  beforeEach(() => {
    t = pipelineTestEnv({ LOG_LEVEL: 'info' });
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.stop('SIGKILL').catch(() => undefined);
    await t.cleanup();
  });

  async function run(
    main: string,
    env: Record<string, string>,
    args: string[] = [],
  ): Promise<SpawnedProcess> {
    const p = spawnTs(main, { ...t.env, ...env }, args);
    procs.push(p);
    expect(await p.waitForExit(30_000)).toBe(1);
    // Everything the process wrote, stdout included, is the one error line.
    expect(p.lines).toEqual(p.stderrLines);
    return p;
  }

  it('for a bad setting', async () => {
    const p = await run(DEMO_MAIN, { REDIS_URL: 'http://127.0.0.1:6379' }, ['start']);
    expect(p.stderrLines).toEqual([
      'cprh-demo start: CONFIG_INVALID: Invalid setting REDIS_URL: expected a URL with scheme redis or rediss',
    ]);
  });

  it('for an unreachable RabbitMQ (after the worker had started), without its password', async () => {
    const port = await freePort();
    const p = await run(DEMO_MAIN, { AMQP_URL: `amqp://guest:s3cret@127.0.0.1:${port}` }, ['start']);
    expect(p.stderrLines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^cprh-demo start: KOMBIT_AMQP_UNREACHABLE: .* not reachable at amqp://guest:\\*\\*\\*@127\\.0\\.0\\.1:${port}\\b`,
        ),
      ),
    ]);
    expect(p.stderrLines.join('\n')).not.toContain('s3cret');
  });

  it('for an unreachable Redis', async () => {
    const port = await freePort();
    const p = await run(DEMO_MAIN, { REDIS_URL: `redis://127.0.0.1:${port}` }, ['start']);
    expect(p.stderrLines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^cprh-demo start: PIPELINE_REDIS_UNREACHABLE: Redis is not reachable at redis://127\\.0\\.0\\.1:${port}; `,
        ),
      ),
    ]);
    // The README's "Error codes" shows this line for the default REDIS_URL.
    const shown = `cprh-demo start: PIPELINE_REDIS_UNREACHABLE: Redis is not reachable at redis://127.0.0.1:6379; start it with`;
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain(shown);
    expect(p.stderrLines[0]?.replace(`:${port}`, ':6379').startsWith(shown)).toBe(true);
  });

  describe('with the simulator on (the demo of `pnpm start`)', () => {
    let pki: DevPki;
    beforeAll(() => {
      pki = makeDevPki('12345678');
    });
    afterAll(() => pki.remove());
    const demo = (): Record<string, string> => ({
      SIM_ENABLED: 'true',
      SIM_RATE: '0',
      SIM_CERTS_DIR: pki.dir,
      SIM_AMQP_FRONT_PORT: '0',
    });

    it('Redis unreachable: the line of the README, naming the URL and how to start it', async () => {
      const port = await freePort();
      const p = await run(DEMO_MAIN, { ...demo(), REDIS_URL: `redis://127.0.0.1:${port}` }, ['start']);
      expect(p.stderrLines).toHaveLength(1);
      const line = p.stderrLines[0]?.replace(`:${port}`, ':6379') ?? '';
      expect(line).toBe(README_REDIS_LINE);
      expect(readme()).toContain(README_REDIS_LINE);
    });

    it('RabbitMQ unreachable: the line of the README, naming the URL (no password) and how to start it', async () => {
      const port = await freePort();
      const p = await run(DEMO_MAIN, { ...demo(), AMQP_URL: `amqp://guest:s3cret@127.0.0.1:${port}` }, [
        'start',
      ]);
      expect(p.stderrLines).toHaveLength(1);
      const line = p.stderrLines[0]?.replaceAll(`:${port}`, ':5672') ?? '';
      expect(line).toBe(README_AMQP_LINE);
      expect(readme()).toContain(README_AMQP_LINE);
    });
  });

  it('for a service started alone (the poller, RabbitMQ unreachable after Redis was checked)', async () => {
    const port = await freePort();
    const p = await run(POLLER_MAIN, { AMQP_URL: `amqp://guest:guest@127.0.0.1:${port}` });
    expect(p.stderrLines).toEqual([
      expect.stringMatching(/^poller: KOMBIT_AMQP_UNREACHABLE: .* not reachable at amqp:/),
    ]);
  });
});
