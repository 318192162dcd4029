import type { ConfigOf, SectionName } from '@cprh/config';

/** The settings sections the webhook delivery process reads; only these are validated when it starts. */
export const WEBHOOKS_SECTIONS = [
  'log',
  'redis',
  'pipeline',
  'webhooks',
] as const satisfies readonly SectionName[];

export type WebhooksConfig = ConfigOf<typeof WEBHOOKS_SECTIONS>;
