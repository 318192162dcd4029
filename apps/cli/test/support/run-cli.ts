import { appMain, runMain, type MainRun } from '@cprh/testkit';

export const CLI_MAIN = appMain('cli');

/** Runs `cprh ARGS` to its end with `env` (and `stdin`). */
export function runCli(env: Record<string, string>, args: string[], stdin?: Buffer): Promise<MainRun> {
  return runMain(CLI_MAIN, env, args, stdin);
}
