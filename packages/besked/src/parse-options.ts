/** Options of parseBesked. */
export interface ParseOptions {
  /** Largest accepted input in bytes (UTF-8), checked before parsing. Default 10 MiB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
