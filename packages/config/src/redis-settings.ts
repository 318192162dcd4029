import { defineSection } from './define-section';
import { urlWithScheme } from './common-types';

export const redisSettings = defineSection({
  env: {
    REDIS_URL: urlWithScheme('redis', 'rediss').default('redis://127.0.0.1:6379'),
  },
  build: (e) => ({ url: e.REDIS_URL }),
});
