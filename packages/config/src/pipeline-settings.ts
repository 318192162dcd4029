import { z } from 'zod';
import { defineSection } from './define-section';

// Names shared by every process that touches the inbox, dead letters and the event stream.
export const pipelineSettings = defineSection({
  env: {
    QUEUE_PREFIX: z.string().min(1).default('cprh'),
    INBOX_QUEUE: z
      .string()
      .regex(/^[^:]+$/, 'may not contain ":"')
      .default('inbox'),
    DEAD_QUEUE: z
      .string()
      .regex(/^[^:]+$/, 'may not contain ":"')
      .default('dead'),
    EVENTS_STREAM: z.string().min(1).default('cpr:events'),
  },
  build: (e) => ({
    queuePrefix: e.QUEUE_PREFIX,
    inboxQueue: e.INBOX_QUEUE,
    deadQueue: e.DEAD_QUEUE,
    eventsStream: e.EVENTS_STREAM,
  }),
});
