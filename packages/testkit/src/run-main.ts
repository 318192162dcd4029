import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** What a finished command printed and its exit code. */
export interface MainRun {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs an entry file (`appMain('cli')`) to its end through tsx, with `stdin` as its input. */
export async function runMain(
  main: string,
  env: Record<string, string>,
  args: string[],
  stdin?: Buffer,
): Promise<MainRun> {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), main, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdin.end(stdin ?? '');
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout: Buffer.concat(out), stderr };
}
