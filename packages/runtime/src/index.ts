export { RUNTIME_ERROR_CODES, type RuntimeErrorCode } from './error-codes';
export { RuntimeError } from './runtime-error';
export { createLogger, type Logger } from './logger';
export { HeldLogOutput } from './held-log-output';
export { runAsProcess, startErrorLines, type RunningService } from './run-as-process';
export { runAsTenantsProcess } from './run-as-tenants-process';
export { backoffDelay, sleep } from './backoff';
export { withDeadline } from './with-deadline';
export { FaultInjector, type FaultPoint } from './fault-injection';
export { metrics, metricsRegistry, type Channel } from './process-metrics';
export { CountdownGauge } from './countdown-gauge';
export { startMetricsServer, type MetricsServer } from './metrics-server';
export { serveProcessMetrics } from './serve-process-metrics';
export {
  addReadinessCheck,
  evaluateReadiness,
  type Readiness,
  type ReadinessCheck,
} from './readiness-checks';
export { redisReadiness, type PingableRedis } from './redis-readiness';
