#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `pnpm exec cprh-demo` works right after `pnpm install`.
require('tsx/cjs');
require('../src/main.ts');
