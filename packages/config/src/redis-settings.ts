import { defineSection } from './define-section';
import { urlWithScheme } from './common-types';

export const redisSettings = defineSection({
  env: {
    REDIS_URL: urlWithScheme('redis', 'rediss').default('redis://127.0.0.1:6379'),
  },
  // The URL may carry the password (redis://:password@host:6379).
  secrets: ['REDIS_URL'],
  build: (e) => ({ url: e.REDIS_URL }),
});
