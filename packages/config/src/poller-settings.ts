import { defineSection } from './define-section';

// Settings of poller. Owned by the poller work; document each variable in the README.
export const pollerSettings = defineSection({
  env: {},
  build: () => ({}),
});
