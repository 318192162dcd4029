export {
  loadConfig,
  settingNames,
  SECTION_NAMES,
  type Config,
  type ConfigOf,
  type SectionName,
} from './load-config';
export { ConfigError } from './config-error';
export { CONFIG_ERROR_CODES, type ConfigErrorCode } from './error-codes';
export { defineSection } from './define-section';
export { redactUrl } from './redact-url';
export { type ClientCertSource } from './client-cert-settings';
export {
  KOMBIT_ENVIRONMENTS,
  KOMBIT_PRESETS,
  BFO_MODTAG_ENTITY,
  type KombitEnvironment,
  type KombitPreset,
} from './kombit-presets';
export { beskedfordelerServiceUrl } from './beskedfordeler-service-settings';
export { DEFAULT_RECEIVER_PATH, LOCAL_RECEIVER_URL, type AllowedSubject } from './receiver-settings';
export {
  parseWebhooksFile,
  webhookSecretBytes,
  WebhooksFileError,
  type WebhookEndpoint,
  type WebhookMode,
} from './webhooks-settings';
export { configLoader, type ConfigFrom, type ConfigLoader, type SectionMap } from './config-loader';
export { type Section } from './define-section';
export { sections as productSections } from './settings-schema';
export { boolFromEnv, nonNegativeInt, positiveInt, urlWithScheme } from './common-types';
export {
  loadTenants,
  tenantEnvironments,
  tenantsConfigured,
  selectTenants,
  DEFAULT_TENANT_ID,
  type TenantConfig,
  type TenantEnvironment,
} from './load-tenants';
export {
  parseTenantsFile,
  readTenantsFile,
  TenantsFileError,
  TENANT_ID_PATTERN,
  type TenantEntry,
} from './tenants-file';
export { tenantEnvironment, tenantPushPath } from './tenant-environment';
export { TENANT_SETTINGS } from './tenant-settings';
export { tenantNames } from './pipeline-settings';
export { environmentWith } from './environment-with';
