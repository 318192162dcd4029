import { z } from 'zod';
import { defineSection } from './define-section';
import { nonNegativeInt, positiveInt } from './common-types';

/**
 * Each process's own Prometheus endpoint (`/metrics`, `/healthz`, `/readyz`) and what counts as
 * a wedge. METRICS_PORT unset = no endpoint; 0 picks a free port (tests).
 */
export const metricsSettings = defineSection({
  env: {
    METRICS_PORT: nonNegativeInt.max(65535, 'must be <= 65535').optional(),
    /** Loopback by default; a container that Prometheus scrapes sets 0.0.0.0. */
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** Not ready when inbox jobs wait and none has finished for this long. */
    READY_STALL_SECONDS: positiveInt.default(120),
  },
  build: (e) => ({
    port: e.METRICS_PORT,
    host: e.METRICS_HOST,
    readyStallSeconds: e.READY_STALL_SECONDS,
  }),
});
