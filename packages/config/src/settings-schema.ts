import { redisSettings } from './redis-settings';
import { amqpSettings } from './amqp-settings';
import { clientCertSettings } from './client-cert-settings';
import { logSettings } from './log-settings';
import { beskedSettings } from './besked-settings';
import { pipelineSettings } from './pipeline-settings';
import { pollerSettings } from './poller-settings';
import { workerSettings } from './worker-settings';
import { boardSettings } from './board-settings';
import { metricsSettings } from './metrics-settings';
import { beskedfordelerServiceSettings } from './beskedfordeler-service-settings';
import { receiverSettings } from './receiver-settings';
import { webhooksSettings } from './webhooks-settings';
import { tenancySettings } from './tenancy-settings';

/**
 * Every section of the product's configuration. Add a section by writing `<name>-settings.ts`
 * with defineSection and listing it here; the env-var names must be unique across sections.
 * The workbench loads these plus its own sections through configLoader, the same mechanism.
 */
export const sections = {
  redis: redisSettings,
  amqp: amqpSettings,
  clientCert: clientCertSettings,
  log: logSettings,
  besked: beskedSettings,
  pipeline: pipelineSettings,
  poller: pollerSettings,
  worker: workerSettings,
  board: boardSettings,
  metrics: metricsSettings,
  beskedfordelerService: beskedfordelerServiceSettings,
  receiver: receiverSettings,
  webhooks: webhooksSettings,
  tenancy: tenancySettings,
} as const;
