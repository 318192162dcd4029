import { z } from 'zod';
import { ConfigError } from './config-error';
import { sections } from './settings-schema';
import { secretFileSetting, secretFromFile } from './secret-file';

type Sections = typeof sections;

/** Name of one section of the configuration (`redis`, `pipeline`, `simulator`, ...). */
export type SectionName = keyof Sections;

/** Every section name, for tests and tools that need the whole configuration. */
export const SECTION_NAMES = Object.keys(sections) as SectionName[];

/**
 * The typed configuration holding only the sections `K`. `Config` alone is every section;
 * `Config['pipeline']` is one section's type.
 */
export type Config<K extends SectionName = SectionName> = {
  readonly [P in K]: ReturnType<Sections[P]['build']>;
};

/** The configuration a list of section names loads: `ConfigOf<typeof WORKER_SECTIONS>`. */
export type ConfigOf<L extends readonly SectionName[]> = Config<L[number]>;

/** Names of every environment variable the product reads, for docs and checks. */
export function settingNames(): string[] {
  return Object.values(sections).flatMap((s) => [
    ...Object.keys(s.env),
    ...(s.secrets ?? []).map(secretFileSetting),
  ]);
}

/**
 * Parses the named sections of the environment once at start-up; settings of other sections are
 * neither read nor checked, so a process is never stopped by a setting it does not use. Empty
 * strings count as unset so that `FOO=` in a compose file falls back to the default. A secret
 * setting may come from the file its `<NAME>_FILE` names instead (see secret-file.ts).
 * Throws ConfigError naming the first bad setting.
 */
export function loadConfig<const K extends SectionName>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Config<K> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(names)) {
    const section = sections[name];
    if (section === undefined)
      throw new ConfigError('(section)', `no configuration section "${String(name)}"`);
    out[name] = loadSection(name, section, env);
  }
  return Object.freeze(out) as Config<K>;
}

function loadSection(name: string, section: Sections[SectionName], env: NodeJS.ProcessEnv): unknown {
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(section.env)) {
    const v = env[key];
    raw[key] = v === undefined || v === '' ? undefined : v;
  }
  for (const key of section.secrets ?? []) raw[key] = secretFromFile(key, raw[key], env);
  const parsed = z.object(section.env).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const setting = String(issue?.path[0] ?? name);
    throw new ConfigError(setting, issue?.message ?? 'invalid value', { cause: parsed.error });
  }
  // The section's own build only ever sees its validated shape.
  return (section.build as (e: unknown) => unknown)(parsed.data);
}
