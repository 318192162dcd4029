import { defineSection } from './define-section';

// Settings of simulator. Owned by the simulator work; document each variable in the README.
export const simulatorSettings = defineSection({
  env: {},
  build: () => ({}),
});
