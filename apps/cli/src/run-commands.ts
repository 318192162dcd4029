import { TenantsFileError } from '@cprh/config';
import { oneLine } from '@cprh/errors';
import type { Command } from './command';
import { UsageError } from './command';

/** Sub-commands by name, each loaded only when it runs. */
export type CommandTable = Record<string, { summary: string; load: () => Command }>;

function usage(bin: string, commands: CommandTable, globalOptions: string): string {
  return [
    `usage: ${bin} ${globalOptions}<command> [args]`,
    '',
    ...Object.values(commands).map((c) => `  ${bin} ${c.summary}`),
  ].join('\n');
}

async function main(
  bin: string,
  commands: CommandTable,
  argv: string[],
  globalOptions: string,
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    process.stdout.write(usage(bin, commands, globalOptions) + '\n');
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    process.stderr.write(`${bin}: unknown command "${name}"\n${usage(bin, commands, globalOptions)}\n`);
    return 2;
  }
  try {
    return await entry.load()(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${bin} ${name}: ${err.message}\n`);
      return 2;
    }
    // One line, `cprh <command>: <CODE>: <message>` (README "Error codes"); a wrong TENANTS_FILE one
    // line per mistake, as the processes print it.
    const problems = err instanceof TenantsFileError ? err.problems : [undefined];
    for (const p of problems) {
      const text =
        p === undefined ? oneLine(err) : oneLine(new TenantsFileError((err as TenantsFileError).file, [p]));
      process.stderr.write(`${bin} ${name}: ${text}\n`);
    }
    return 1;
  }
}

/** Resolves once everything written to `stream` so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * Runs the command `argv` names and exits with its code (`cprh` and the demo's `cprh-demo`).
 * Exits as soon as the command is done: a connection still retrying in the background (Redis or
 * RabbitMQ down) must never keep a finished command alive.
 */
export function runCommands(
  bin: string,
  commands: CommandTable,
  argv: string[],
  /** Options every command takes, for the usage line (`[--tenant ID] `). */
  globalOptions = '',
): void {
  main(bin, commands, argv, globalOptions).then(
    async (code) => {
      await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
      process.exit(code);
    },
    async (err: unknown) => {
      process.stderr.write(`${bin}: ${oneLine(err)}\n`);
      await flushed(process.stderr);
      process.exit(1);
    },
  );
}
