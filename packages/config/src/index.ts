export { loadConfig, settingNames, type Config } from './load-config';
export { ConfigError } from './config-error';
export { defineSection } from './define-section';
export { redactUrl } from './redact-url';
