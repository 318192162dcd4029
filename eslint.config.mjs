import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Settings come from packages/config only: one validated place for the environment.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings through @cprh/config.' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/config/**', '**/test/**', 'packages/testkit/**', '**/bench/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
