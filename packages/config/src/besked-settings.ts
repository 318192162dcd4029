import { defineSection } from './define-section';

// Settings of besked. Owned by the besked work; document each variable in the README.
export const beskedSettings = defineSection({
  env: {},
  build: () => ({}),
});
