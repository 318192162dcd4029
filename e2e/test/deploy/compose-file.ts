import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// docker-compose.yml read the way `docker compose` reads it, for the tests that check it.

export const ROOT = join(__dirname, '..', '..', '..');
export const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

export interface Healthcheck {
  test?: string | string[];
  interval?: string;
  start_period?: string;
}
export interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  ports?: (string | number | { host_ip?: string; published?: string | number; target?: number })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  restart?: string;
  stop_grace_period?: string;
  container_name?: string;
  profiles?: string[];
  secrets?: string[];
}
export interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { environment?: string; file?: string }>;
}

// `merge: true` resolves `<<: *anchor` as compose does.
export const compose = parse(composeText, { merge: true }) as Compose;
export const services = compose.services;

/** Each app service's TypeScript entry (what tests run through tsx). */
export const APP_ENTRIES: Record<string, string> = {
  poller: 'apps/poller/src/main.ts',
  worker: 'apps/worker/src/main.ts',
  board: 'apps/board/src/main.ts',
  simulator: 'apps/simulator/src/main.ts',
  receiver: 'apps/receiver/src/main.ts',
  webhooks: 'apps/webhooks/src/main.ts',
};
export const APPS = Object.keys(APP_ENTRIES);
/** The compiled bundle a service's command runs (`pnpm run build` writes it) -> its TypeScript entry. */
export function sourceOfBundle(bundle: string): string {
  const m = /^apps\/([a-z]+)\/dist\/main\.js$/.exec(bundle);
  if (!m) throw new Error(`${bundle} is not an app bundle (apps/<app>/dist/main.js)`);
  return `apps/${m[1]}/src/main.ts`;
}
/** Services of the optional `monitoring` profile. */
export const MONITORING = ['prometheus', 'grafana'];

export const service = (name: string): Service => {
  const s = services[name];
  if (!s) throw new Error(`service ${name} missing from docker-compose.yml`);
  return s;
};
export const argv = (cmd: string | string[] | undefined): string[] =>
  cmd === undefined ? [] : Array.isArray(cmd) ? cmd.map(String) : cmd.split(/\s+/).filter(Boolean);
export const envOf = (s: Service): Record<string, string> => {
  const e = s.environment ?? {};
  if (Array.isArray(e)) {
    return Object.fromEntries(e.map((kv) => [kv.split('=')[0] ?? '', kv.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === null ? '' : String(v)]));
};

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?err}`, `${NAME?err}`, `$NAME`. */
export const INTERPOLATION =
  /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
export function interpolatedNames(text: string): string[] {
  return [...text.matchAll(INTERPOLATION)].map((m) => m[1] ?? m[4] ?? '');
}
/** The value compose would use when the user sets only the required variables (`:?`). */
export function resolve(value: string, required: Record<string, string>): string {
  return value.replace(
    INTERPOLATION,
    (_all, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (name === undefined) throw new Error(`bare $VAR interpolation in "${value}": use \${VAR:-default}`);
      if (op === ':-' || op === '-') return arg ?? '';
      if (op === ':?' || op === '?') {
        const v = required[name];
        if (v === undefined) throw new Error(`test has no value for required ${name}`);
        return v;
      }
      throw new Error(`unsupported interpolation of ${name} in "${value}"`);
    },
  );
}
export function seconds(d: string | undefined): number {
  if (d === undefined) return 10; // compose default
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(d);
  if (!m || d === '') throw new Error(`cannot read duration ${d}`);
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}
export function published(p: NonNullable<Service['ports']>[number]): {
  hostIp: string | undefined;
  host: string;
  target: string;
} {
  if (typeof p === 'object') {
    return { hostIp: p.host_ip, host: String(p.published ?? ''), target: String(p.target ?? '') };
  }
  const parts = String(p).split(':');
  if (parts.length === 3) return { hostIp: parts[0], host: parts[1] ?? '', target: parts[2] ?? '' };
  return { hostIp: undefined, host: parts[0] ?? '', target: parts[parts.length - 1] ?? '' };
}

/**
 * The environment compose gives service `name`, as its process sees it: interpolated with the
 * `required` variables, and each Docker secret it names (`/run/secrets/<secret>`) written into
 * `secretsDir` with the value of the variable the secret comes from.
 */
export function serviceEnv(
  name: string,
  required: Record<string, string>,
  secretsDir: string,
): Record<string, string> {
  const s = service(name);
  return Object.fromEntries(
    Object.entries(envOf(s)).map(([k, v]) => {
      const value = resolve(v, required);
      const secret = /^\/run\/secrets\/([a-z_]+)$/.exec(value)?.[1];
      if (secret === undefined) return [k, value];
      if (!(s.secrets ?? []).includes(secret))
        throw new Error(`${name} reads secret ${secret} it does not list`);
      const from = compose.secrets?.[secret]?.environment;
      const content = from === undefined ? undefined : required[from];
      if (content === undefined) throw new Error(`test has no value for secret ${secret}`);
      mkdirSync(secretsDir, { recursive: true });
      writeFileSync(`${secretsDir}/${secret}`, `${content}\n`, { mode: 0o600 });
      return [k, `${secretsDir}/${secret}`];
    }),
  );
}
