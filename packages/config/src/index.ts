export {
  loadConfig,
  settingNames,
  SECTION_NAMES,
  type Config,
  type ConfigOf,
  type SectionName,
} from './load-config';
export { ConfigError } from './config-error';
export { defineSection } from './define-section';
export { redactUrl } from './redact-url';
