import { spawn, type ChildProcess } from 'node:child_process';
import { WaitTimeoutError } from './wait-for';

export interface SpawnedProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far, as lines. */
  readonly lines: string[];
  /** Only what was written to stderr, as lines. */
  readonly stderrLines: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or the signal name) once the process ended. */
  waitForExit(timeoutMs?: number): Promise<number | string>;
  /** Sends a signal and waits for the exit; SIGKILL after the timeout. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

/**
 * Runs a TypeScript entry file through tsx in a child node process with the given extra env;
 * `nodeArgs` go to node itself (e.g. `--cpu-prof`).
 */
export function spawnTs(
  file: string,
  env: Record<string, string>,
  args: string[] = [],
  nodeArgs: string[] = [],
): SpawnedProcess {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--require', require.resolve('tsx/cjs'), file, ...args],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const stderrLines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  const onData = (buf: string): void => {
    for (const line of buf.split('\n')) {
      if (line === '') continue;
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  let partialOut = '';
  let partialErr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    const text = partialOut + d;
    const cut = text.lastIndexOf('\n');
    partialOut = text.slice(cut + 1);
    onData(text.slice(0, cut + 1));
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    const text = partialErr + d;
    const cut = text.lastIndexOf('\n');
    partialErr = text.slice(cut + 1);
    stderrLines.push(
      ...text
        .slice(0, cut + 1)
        .split('\n')
        .filter((l) => l !== ''),
    );
    onData(text.slice(0, cut + 1));
  });
  const exit = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => {
      if (partialErr !== '') stderrLines.push(partialErr);
      onData(partialOut + '\n' + partialErr + '\n');
      resolve(code ?? signal ?? -1);
    });
  });

  const waitForExit = (timeoutMs = 20000): Promise<number | string> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      exit,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new WaitTimeoutError(`${file} did not exit within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  };

  return {
    child,
    lines,
    stderrLines,
    waitForLine(pattern, timeoutMs = 20000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const w = {
          pattern,
          resolve: (l: string): void => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        waiters.push(w);
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(
            new WaitTimeoutError(
              `no line matching ${pattern} from ${file} within ${timeoutMs} ms; last lines:\n` +
                lines.slice(-15).join('\n'),
            ),
          );
        }, timeoutMs);
        void exit.then(() => {
          clearTimeout(timer);
          if (waiters.includes(w)) {
            waiters.splice(waiters.indexOf(w), 1);
            reject(
              new Error(`${file} exited before a line matched ${pattern}:\n${lines.slice(-15).join('\n')}`),
            );
          }
        });
      });
    },
    waitForExit,
    async stop(signal = 'SIGTERM', timeoutMs = 15000) {
      if (child.exitCode !== null || child.signalCode !== null) return exit;
      child.kill(signal);
      try {
        return await waitForExit(timeoutMs);
      } catch (err) {
        child.kill('SIGKILL');
        await exit;
        throw err;
      }
    },
  };
}
