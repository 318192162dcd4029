import type { Config } from '@cprh/config';
import type { Logger } from './logger';
import { startMetricsServer } from './metrics-server';

/**
 * Starts this process's metrics endpoint when METRICS_PORT is set; `stop` closes it (a no-op
 * when it is off). For process entries: runAsProcess and `cprh start`.
 */
export async function serveProcessMetrics(
  settings: Config['metrics'],
  log: Logger,
): Promise<{ stop(): Promise<void> }> {
  if (settings.port === undefined) return { stop: async () => undefined };
  const server = await startMetricsServer(settings);
  log.info({ metricsUrl: server.url }, `metrics at ${server.url}metrics`);
  return { stop: () => server.close() };
}
