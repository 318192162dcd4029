import { z } from 'zod';
import { ConfigError } from './config-error';
import { secretFileSetting, secretFromFile } from './secret-file';

/** What the loader needs of any Section (every `defineSection` result is one). */
interface AnySection {
  readonly env: z.ZodRawShape;
  readonly secrets?: readonly string[];
  readonly build: (env: never) => unknown;
}

/** A map of section name to section; the product's is `sections` (settings-schema.ts). */
export type SectionMap = Readonly<Record<string, AnySection>>;

/** The typed configuration of the sections `K` of the map `S`. */
export type ConfigFrom<S extends SectionMap, K extends keyof S = keyof S> = {
  readonly [P in K]: ReturnType<S[P]['build']>;
};

/** The one loading mechanism, over a section map: the product's, or a workbench map that extends it. */
export interface ConfigLoader<S extends SectionMap> {
  /**
   * Parses the named sections of the environment once at start-up; settings of other sections are
   * neither read nor checked, so a process is never stopped by a setting it does not use. Empty
   * strings count as unset so that `FOO=` in a compose file falls back to the default. A secret
   * setting may come from the file its `<NAME>_FILE` names instead (see secret-file.ts).
   * Throws ConfigError naming the first bad setting.
   */
  readonly load: <const K extends keyof S & string>(
    names: readonly K[],
    env?: NodeJS.ProcessEnv,
  ) => ConfigFrom<S, K>;
  /** Names of every environment variable the map's sections read, for docs and checks. */
  readonly settingNames: () => string[];
  /** Every section name of the map. */
  readonly sectionNames: readonly (keyof S & string)[];
}

export function configLoader<S extends SectionMap>(sections: S): ConfigLoader<S> {
  const load = <const K extends keyof S & string>(
    names: readonly K[],
    env: NodeJS.ProcessEnv = process.env,
  ): ConfigFrom<S, K> => {
    const out: Record<string, unknown> = {};
    for (const name of new Set(names)) {
      const section = sections[name];
      if (section === undefined) throw new ConfigError('(section)', `no configuration section "${name}"`);
      out[name] = loadSection(name, section, env);
    }
    return Object.freeze(out) as ConfigFrom<S, K>;
  };
  const settingNames = (): string[] =>
    Object.values(sections).flatMap((s) => [
      ...Object.keys(s.env),
      ...(s.secrets ?? []).map(secretFileSetting),
    ]);
  return { load, settingNames, sectionNames: Object.keys(sections) };
}

function loadSection(name: string, section: SectionMap[string], env: NodeJS.ProcessEnv): unknown {
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
