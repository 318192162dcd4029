import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './compose-file';

const run = promisify(execFile);
const dir = join(ROOT, 'deploy', 'prometheus');

/** promtool from Debian's `prometheus` package (installed by .ci/run). */
async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: dir, timeout: 60_000 });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed: ${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`);
  }
}

describe('deploy/prometheus', () => {
  it('alerts.yml passes promtool check rules with every alert the README lists', async () => {
    expect(await promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: 16 rules found/);
  });

  it('alerts fire (and stay quiet) as alerts.test.yml expects', async () => {
    expect(await promtool('test', 'rules', 'alerts.test.yml')).toMatch(/SUCCESS/);
  });

  it('prometheus.yml is a valid config that loads the rules', async () => {
    expect(await promtool('check', 'config', 'prometheus.yml')).toMatch(/SUCCESS: 1 rule files found/);
  });
});
