import { readFileSync } from 'node:fs';
import { runAsProcess } from '../../src';

// An entry whose start takes until the file named by argv[2] exists: for the /readyz-while-starting test.
runAsProcess('slow', [], async () => {
  const gate = process.argv[2] ?? '';
  for (;;) {
    try {
      readFileSync(gate);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { stop: async () => undefined };
});
