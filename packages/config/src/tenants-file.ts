import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { KOMBIT_ENVIRONMENTS, type KombitEnvironment } from './kombit-presets';
import { TENANT_FIELD_SETTINGS, TENANT_SETTINGS } from './tenant-settings';

/** One municipality of TENANTS_FILE, as written (paths not yet read). */
export interface TenantEntry {
  readonly id: string;
  readonly name: string | undefined;
  readonly cvr: string;
  readonly kombitEnv: KombitEnvironment | undefined;
  readonly certificate:
    | { readonly kind: 'p12'; readonly p12File: string; readonly passwordFile: string | undefined }
    | {
        readonly kind: 'pem';
        readonly certFile: string;
        readonly keyFile: string;
        readonly keyPassphraseFile: string | undefined;
      }
    | undefined;
  readonly dueslag: string;
  readonly routes: string | undefined;
  readonly webhooksFile: string | undefined;
  readonly pushPath: string | undefined;
  readonly settings: Readonly<Record<string, string>>;
}

/** TENANTS_FILE was wrong: one line per mistake in `problems`, each naming the tenant and the field. */
export class TenantsFileError extends ConfigError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super('TENANTS_FILE', `${file}: ${problems.join('; ')}`, options);
  }
}

/** Lower-case letters, digits and '-': it becomes part of key names, metric labels and push paths. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,30}$/;

const path = z.string().min(1, 'must be a file path');
const certificate = z.union(
  [
    z.object({ p12File: path, passwordFile: path.optional() }).strict(),
    z.object({ certFile: path, keyFile: path, keyPassphraseFile: path.optional() }).strict(),
  ],
  { message: 'expected { p12File, passwordFile } or { certFile, keyFile, keyPassphraseFile? }' },
);

const settingValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const tenantSchema = z
  .object({
    id: z
      .string()
      .regex(TENANT_ID_PATTERN, 'expected 1-31 of a-z, 0-9 and -, starting with a letter or digit'),
    name: z.string().min(1).optional(),
    cvr: z
      .union([z.string(), z.number().transform(String)])
      .pipe(z.string().regex(/^\d{8}$/, 'expected an 8-digit CVR number')),
    kombitEnv: z.enum(KOMBIT_ENVIRONMENTS).optional(),
    certificate: certificate.optional(),
    dueslag: z.string().min(1).max(255).regex(/^\S+$/, 'may not contain spaces'),
    routes: z.string().optional(),
    webhooksFile: path.optional(),
    pushPath: z
      .string()
      .regex(/^\/[^\s?#]*$/, 'must start with / and hold no spaces, ? or #')
      .optional(),
    settings: z.record(z.string(), settingValue).optional(),
  })
  .strict();

const fileSchema = z
  .object({
    tenants: z.array(z.unknown(), { message: 'must be a list of tenants' }).min(1, 'lists no tenant'),
  })
  .strict();

function issuePath(p: readonly PropertyKey[]): string {
  return p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
}

function issueText(i: z.core.$ZodIssue): string {
  return i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : i.message;
}

/** Reads and checks TENANTS_FILE; every mistake of the whole file is reported at once. */
export function readTenantsFile(file: string): TenantEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TenantsFileError(file, [`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`], {
      cause: err,
    });
  }
  return parseTenantsFile(text, file);
}

/** Parses the text of TENANTS_FILE (YAML when the name ends in .yaml/.yml, else JSON). */
export function parseTenantsFile(text: string, file: string): TenantEntry[] {
  let doc: unknown;
  const yaml = /\.ya?ml$/i.test(file);
  try {
    doc = yaml ? parseYaml(text, { prettyErrors: false }) : JSON.parse(text);
  } catch (err) {
    const first = ((err as Error).message.split('\n')[0] ?? '').trim();
    throw new TenantsFileError(file, [`not valid ${yaml ? 'YAML' : 'JSON'} (${first})`], { cause: err });
  }
  const top = fileSchema.safeParse(doc);
  if (!top.success) {
    throw new TenantsFileError(
      file,
      top.error.issues.map((i) => `${issuePath(i.path).replace(/^\./, '') || '(top)'}: ${issueText(i)}`),
    );
  }
  const problems: string[] = [];
  const out: TenantEntry[] = [];
  const seen = {
    id: new Map<string, string>(),
    cvr: new Map<string, string>(),
    dueslag: new Map<string, string>(),
    pushPath: new Map<string, string>(),
  };
  top.data.tenants.forEach((raw, n) => {
    const rawId = (raw as { id?: unknown } | null)?.id;
    const where = `tenants[${n}]${typeof rawId === 'string' ? ` (${rawId})` : ''}`;
    const parsed = tenantSchema.safeParse(raw);
    const issues = parsed.success ? [] : parsed.error.issues;
    const fieldIssues = (field: string): z.core.$ZodIssue[] => issues.filter((i) => i.path[0] === field);
    for (const i of fieldIssues('id')) problems.push(`${where}${issuePath(i.path)}: ${issueText(i)}`);
    // Duplicates are checked on the raw values, so a tenant with another mistake is still compared.
    for (const field of ['id', 'cvr', 'dueslag', 'pushPath'] as const) {
      const value = (raw as Record<string, unknown> | null)?.[field];
      if ((typeof value !== 'string' && typeof value !== 'number') || fieldIssues(field).length > 0) continue;
      const text = String(value);
      const earlier = seen[field].get(text);
      if (earlier !== undefined) problems.push(`${where}.${field}: "${text}" is already used by ${earlier}`);
      else seen[field].set(text, where);
    }
    for (const i of issues.filter((x) => x.path[0] !== 'id')) {
      problems.push(`${where}${issuePath(i.path)}: ${issueText(i)}`);
    }
    if (!parsed.success) return;
    const t = parsed.data;
    const settings = t.settings ?? {};
    for (const name of Object.keys(settings)) {
      const field = TENANT_FIELD_SETTINGS[name];
      if (field !== undefined)
        problems.push(`${where}.settings.${name}: set the tenant's field ${field} instead`);
      else if (!TENANT_SETTINGS.includes(name)) {
        problems.push(
          `${where}.settings.${name}: not a per-tenant setting (it is shared by every tenant, or unknown)`,
        );
      }
    }
    const c = t.certificate;
    out.push({
      id: t.id,
      name: t.name,
      cvr: t.cvr,
      kombitEnv: t.kombitEnv,
      certificate:
        c === undefined
          ? undefined
          : 'p12File' in c
            ? { kind: 'p12', p12File: c.p12File, passwordFile: c.passwordFile }
            : {
                kind: 'pem',
                certFile: c.certFile,
                keyFile: c.keyFile,
                keyPassphraseFile: c.keyPassphraseFile,
              },
      dueslag: t.dueslag,
      routes: t.routes,
      webhooksFile: t.webhooksFile,
      pushPath: t.pushPath,
      settings,
    });
  });
  if (problems.length > 0) throw new TenantsFileError(file, problems);
  return out;
}
