import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineTestEnv, repoRoot, spawnTs, type PipelineTestEnv, type SpawnedProcess } from '@cprh/testkit';
import { POLLER_MAIN, WORKER_MAIN, DEMO_MAIN } from './support/pipeline-harness';

// A simulator setting that is wrong on its own: a push URL that is not https.
const BAD_SIMULATOR_SETTING = { SIM_PUSH_URL: 'http://x' };

describe('each process validates only its own settings', () => {
  let t: PipelineTestEnv;
  const procs: SpawnedProcess[] = [];

  beforeEach(() => {
    t = pipelineTestEnv({ LOG_LEVEL: 'info', ...BAD_SIMULATOR_SETTING });
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.stop('SIGKILL').catch(() => undefined);
    await t.cleanup();
  });

  it.each([
    ['worker', WORKER_MAIN],
    ['poller', POLLER_MAIN],
  ])('a bad simulator setting does not stop the %s started alone', async (name, main) => {
    const p = spawnTs(main, t.env);
    procs.push(p);
    await p.waitForLine(new RegExp(`${name} ready`));
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(p.stderrLines).toEqual([]);
  });

  it('`cprh start`, which runs the simulator, refuses it with one line', async () => {
    const p = spawnTs(DEMO_MAIN, t.env, ['start']);
    procs.push(p);
    expect(await p.waitForExit()).toBe(1);
    const line =
      'cprh-demo start: CONFIG_INVALID: Invalid setting SIM_PUSH_URL: expected a URL with scheme https';
    expect(p.stderrLines).toEqual([line]);
    // The README's "Configuration" shows this very line.
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain(`\`${line}\``);
  });
});
