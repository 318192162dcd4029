import { join } from 'node:path';
import {
  appMain,
  freePort,
  makeDevPki,
  pipelineTestEnv,
  repoRoot,
  runMain,
  type DevPki,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { CLI_MAIN } from './support/run-cli';

// The demo launcher's commands (`cprh-demo sim`, `cprh-demo publish`) share cprh's command runner.
const DEMO_COMMANDS = new Set(['sim', 'publish']);
const binOf = (args: string[]): string => (DEMO_COMMANDS.has(args[0] ?? '') ? 'cprh-demo' : 'cprh');

// Every `cprh` (and `cprh-demo`) command ends after its error: one line on stderr, exit 1, never a process left
// waiting on a connection that retries in the background.
describe('a cprh command exits after its error', () => {
  let t: PipelineTestEnv;
  let pki: DevPki;
  let redisPort = 0;
  let amqpPort = 0;

  beforeAll(async () => {
    pki = makeDevPki('12345678');
    redisPort = await freePort();
    amqpPort = await freePort();
    t = pipelineTestEnv({ SIM_CERTS_DIR: pki.dir, SIM_ENABLED: 'true' });
  });
  afterAll(async () => {
    await t.cleanup();
    pki.remove();
  });

  async function fails(env: Record<string, string>, args: string[]): Promise<string> {
    const started = Date.now();
    const main = binOf(args) === 'cprh' ? CLI_MAIN : appMain('demo');
    const r = await runMain(main, { ...t.env, ...env }, args);
    const lines = r.stderr.trim().split('\n');
    expect({ code: r.code, lines: lines.length, stdout: r.stdout.toString('utf8') }).toEqual({
      code: 1,
      lines: 1,
      stdout: '',
    });
    // Node and tsx start in ~1-2 s here; a command hanging on a reconnect loop would take far longer.
    expect(Date.now() - started).toBeLessThan(20_000);
    return lines[0] ?? '';
  }

  const redisDown = (): Record<string, string> => ({ REDIS_URL: `redis://127.0.0.1:${redisPort}` });
  const amqpDown = (): Record<string, string> => ({ AMQP_URL: `amqp://guest:guest@127.0.0.1:${amqpPort}` });
  const REDIS_LINE =
    /: PIPELINE_REDIS_UNREACHABLE: Redis is not reachable at redis:\/\/127\.0\.0\.1:\d+; start it with/;
  const AMQP_LINE =
    /: KOMBIT_AMQP_UNREACHABLE: .*not reachable at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:\d+.*start it with/;

  it.each([
    [['dlq', 'list']],
    [['dlq', 'show', 'b-1']],
    [['dlq', 'purge']],
    [['dlq', 'replay', '--all']],
    [['sim', 'subscriptions']],
    [['sim', 'emit', '1']],
  ])(
    'Redis unreachable: %j',
    async (args) => {
      const line = await fails(redisDown(), args);
      expect(line).toMatch(new RegExp(`^${binOf(args)} ${args[0]}${REDIS_LINE.source}`));
    },
    30_000,
  );

  const SAMPLE_FILE = join(repoRoot, 'packages/testkit/fixtures/beskeder/testbesked01.xml');
  it.each([[['publish', SAMPLE_FILE]], [['sim', 'emit', '1']]])(
    'RabbitMQ unreachable: %j',
    async (args) => {
      const line = await fails(amqpDown(), args);
      expect(line).toMatch(new RegExp(`^${binOf(args)} ${args[0]}${AMQP_LINE.source}`));
    },
    30_000,
  );
});
