import { z } from 'zod';
import { defineSection } from './define-section';
import { boolFromEnv, nonNegativeInt } from './common-types';
import { ConfigError } from './config-error';

/**
 * The ops process (Bull Board, /metrics, /healthz, /readyz).
 * BOARD_PORT 0 picks a free port (tests). Credentials come as a pair or not at all;
 * whether a bind address needs them is checked when the board starts.
 */
export const boardSettings = defineSection({
  env: {
    BOARD_PORT: nonNegativeInt.max(65535, 'must be <= 65535').default(3000),
    BOARD_HOST: z.string().min(1).default('127.0.0.1'),
    BOARD_USER: z.string().min(1).optional(),
    BOARD_PASSWORD: z.string().min(1).optional(),
    BOARD_READ_WRITE: boolFromEnv.default(false),
    /** Show CPR numbers in job data; off = every CPR number is masked (the default). */
    BOARD_SHOW_CPR: boolFromEnv.default(false),
  },
  secrets: ['BOARD_PASSWORD'],
  build: (e) => {
    if (e.BOARD_USER !== undefined && e.BOARD_PASSWORD === undefined) {
      throw new ConfigError('BOARD_PASSWORD', 'required when BOARD_USER is set');
    }
    if (e.BOARD_PASSWORD !== undefined && e.BOARD_USER === undefined) {
      throw new ConfigError('BOARD_USER', 'required when BOARD_PASSWORD is set');
    }
    const credentials =
      e.BOARD_USER !== undefined && e.BOARD_PASSWORD !== undefined
        ? { user: e.BOARD_USER, password: e.BOARD_PASSWORD }
        : undefined;
    return {
      port: e.BOARD_PORT,
      host: e.BOARD_HOST,
      credentials,
      readWrite: e.BOARD_READ_WRITE,
      showCpr: e.BOARD_SHOW_CPR,
    };
  },
});
