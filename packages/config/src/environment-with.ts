/**
 * The process's environment with some settings set by the program itself: how a launcher (the demo's
 * `--tenants N`, which writes its own TENANTS_FILE) hands settings to the same loaders, since only
 * this package reads process.env.
 */
export function environmentWith(
  overrides: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return { ...env, ...overrides };
}
