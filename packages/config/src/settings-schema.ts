import { redisSettings } from './redis-settings';
import { amqpSettings } from './amqp-settings';
import { logSettings } from './log-settings';

/**
 * Every section of the product's configuration. Add a section by writing `<name>-settings.ts`
 * with defineSection and listing it here; the env-var names must be unique across sections.
 */
export const sections = {
  redis: redisSettings,
  amqp: amqpSettings,
  log: logSettings,
} as const;
