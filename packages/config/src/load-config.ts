import { z } from 'zod';
import { ConfigError } from './config-error';
import { sections } from './settings-schema';

type Sections = typeof sections;
export type Config = { readonly [K in keyof Sections]: ReturnType<Sections[K]['build']> };

/** Names of every environment variable the product reads, for docs and checks. */
export function settingNames(): string[] {
  return Object.values(sections).flatMap((s) => Object.keys(s.env));
}

/**
 * Parses the environment once at start-up. Empty strings count as unset so that
 * `FOO=` in a compose file falls back to the default. Throws ConfigError naming the first bad setting.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [name, section] of Object.entries(sections)) {
    const raw: Record<string, string | undefined> = {};
    for (const key of Object.keys(section.env)) {
      const v = env[key];
      raw[key] = v === undefined || v === '' ? undefined : v;
    }
    const parsed = z.object(section.env).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const setting = String(issue?.path[0] ?? name);
      throw new ConfigError(setting, issue?.message ?? 'invalid value', { cause: parsed.error });
    }
    // The section's own build only ever sees its validated shape.
    out[name] = (section.build as (e: unknown) => unknown)(parsed.data);
  }
  return Object.freeze(out) as Config;
}
