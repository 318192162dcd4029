/** Raised when a setting is missing or wrong; the message names the setting so start-up can print one line. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID' as const;
  constructor(
    readonly setting: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid setting ${setting}: ${problem}`, options);
    this.name = 'ConfigError';
  }
}
