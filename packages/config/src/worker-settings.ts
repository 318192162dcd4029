import { defineSection } from './define-section';

// Settings of worker. Owned by the worker work; document each variable in the README.
export const workerSettings = defineSection({
  env: {},
  build: () => ({}),
});
