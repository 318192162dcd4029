/** A `cprh` sub-command: gets its arguments (after the command name) and returns the exit code. */
export type Command = (argv: string[]) => Promise<number>;

export { UsageError } from './cli-error';
