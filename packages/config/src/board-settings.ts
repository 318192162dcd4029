import { defineSection } from './define-section';

// Settings of board. Owned by the board work; document each variable in the README.
export const boardSettings = defineSection({
  env: {},
  build: () => ({}),
});
