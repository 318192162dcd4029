import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

/** `BOARD_PASSWORD` -> `BOARD_PASSWORD_FILE`: the setting that names a file holding the secret. */
export function secretFileSetting(name: string): string {
  return `${name}_FILE`;
}

/**
 * The value of secret setting `name`: from the environment, or read from the file `<name>_FILE`
 * names (a Docker secret under /run/secrets), its trailing newline trimmed (what `echo` and most
 * editors add). Both set is an error: which one wins would be a guess. Error texts name the
 * setting and the path, never the content.
 */
export function secretFromFile(
  name: string,
  direct: string | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const fileSetting = secretFileSetting(name);
  const path = env[fileSetting];
  if (path === undefined || path === '') return direct;
  if (direct !== undefined) {
    throw new ConfigError(name, `set either ${name} or ${fileSetting}, not both`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(fileSetting, `cannot read ${path} (${code})`, { cause: err });
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new ConfigError(fileSetting, `${path} is empty`);
  return value;
}
