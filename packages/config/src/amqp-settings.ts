import { defineSection } from './define-section';
import { urlWithScheme } from './common-types';

export const amqpSettings = defineSection({
  env: {
    AMQP_URL: urlWithScheme('amqp', 'amqps').default('amqp://guest:guest@127.0.0.1:5672'),
  },
  build: (e) => ({ url: e.AMQP_URL }),
});
