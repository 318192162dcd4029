/** A `cprh` sub-command: gets its arguments (after the command name) and returns the exit code. */
export type Command = (argv: string[]) => Promise<number>;

/** Thrown for wrong usage; main prints the message and exits 2. */
export class UsageError extends Error {
  readonly code = 'CLI_USAGE' as const;
}
