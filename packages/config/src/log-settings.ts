import { z } from 'zod';
import { defineSection } from './define-section';

export const logSettings = defineSection({
  env: {
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  },
  build: (e) => ({ level: e.LOG_LEVEL }),
});
