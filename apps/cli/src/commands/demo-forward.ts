import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from '../command';

/** Where `cprh-demo` may be: the caller's install, this repository's, then PATH. */
function demoBin(): string {
  const candidates = [
    join(process.cwd(), 'node_modules', '.bin', 'cprh-demo'),
    // apps/cli/src or apps/cli/dist -> the repository root
    resolve(__dirname, '..', '..', '..', '..', 'node_modules', '.bin', 'cprh-demo'),
    resolve(__dirname, '..', '..', '..', 'node_modules', '.bin', 'cprh-demo'),
  ];
  return candidates.find((c) => existsSync(c)) ?? 'cprh-demo';
}

/**
 * `cprh start|sim|publish`, the names from before the demo launcher became its own workbench app
 * (`cprh-demo`, ARCHITECTURE.md): runs the same `cprh-demo` command as a child process, so scripts
 * written against the old names keep working while the operator CLI imports no workbench code.
 * Where the workbench is not installed (the production image), one line says so.
 */
export function forwardToDemo(name: string): Command {
  return (argv) =>
    new Promise((done) => {
      const child = spawn(demoBin(), [name, ...argv], { stdio: 'inherit' });
      // Ctrl-C reaches the child through the terminal's process group; wait for its own exit.
      const onInt = (): void => undefined;
      const onTerm = (): void => void child.kill('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      const finish = (code: number): void => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        done(code);
      };
      child.on('error', (err: NodeJS.ErrnoException) => {
        const why =
          err.code === 'ENOENT'
            ? 'the demo launcher (cprh-demo, a workbench app) is not installed here'
            : `could not start cprh-demo: ${err.message}`;
        process.stderr.write(`cprh ${name}: ${why}; \`cprh ${name}\` is now \`cprh-demo ${name}\`\n`);
        finish(2);
      });
      child.on('exit', (code, signal) =>
        finish(code ?? (signal !== null ? 128 + (constants.signals[signal] ?? 0) : 1)),
      );
    });
}
