import { DEFAULT_RECEIVER_PATH } from './receiver-settings';
import type { TenantEntry } from './tenants-file';
import { TENANT_FIELD_SETTINGS } from './tenant-settings';

/**
 * The environment one tenant runs with: the deployment's environment, minus what belongs to one
 * municipality only (certificate, CVR, dueslag, webhooks: never inherited, so one municipality's
 * certificate can never log in for another), plus the tenant's fields and its `settings`. Every
 * process then loads it with the same loadConfig as a single-tenant deployment.
 */
export function tenantEnvironment(base: NodeJS.ProcessEnv, t: TenantEntry): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  delete env.TENANTS_FILE;
  for (const name of Object.keys(TENANT_FIELD_SETTINGS)) delete env[name];
  env.TENANT_ID = t.id;
  env.STS_CVR = t.cvr;
  env.DUESLAG_QUEUE = t.dueslag;
  if (t.kombitEnv !== undefined) env.KOMBIT_ENV = t.kombitEnv;
  else if (base.KOMBIT_ENV !== undefined) env.KOMBIT_ENV = base.KOMBIT_ENV;
  const c = t.certificate;
  if (c?.kind === 'p12') {
    env.CLIENT_CERT_P12_FILE = c.p12File;
    if (c.passwordFile !== undefined) env.CLIENT_CERT_P12_PASSWORD_FILE = c.passwordFile;
  } else if (c?.kind === 'pem') {
    env.CLIENT_CERT_FILE = c.certFile;
    env.CLIENT_KEY_FILE = c.keyFile;
    if (c.keyPassphraseFile !== undefined) env.CLIENT_KEY_PASSPHRASE_FILE = c.keyPassphraseFile;
  }
  // Routes are the deployment's unless the tenant has its own; their streams get the tenant's tag.
  const routes = t.routes ?? base.ROUTES;
  if (routes !== undefined) env.ROUTES = routes;
  if (t.webhooksFile !== undefined) env.WEBHOOKS_FILE = t.webhooksFile;
  env.RECEIVER_PATH = t.pushPath ?? tenantPushPath(base.RECEIVER_PATH, t.id);
  for (const [name, value] of Object.entries(t.settings)) env[name] = value;
  return env;
}

/** A tenant's default push path: the deployment's RECEIVER_PATH with `/<tenant id>` appended. */
export function tenantPushPath(receiverPath: string | undefined, id: string): string {
  const base = receiverPath === undefined || receiverPath === '' ? DEFAULT_RECEIVER_PATH : receiverPath;
  return `${base.replace(/\/+$/, '')}/${id}`;
}
