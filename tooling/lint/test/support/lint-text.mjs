// Lints source text as if it were the file at a given repo path, with the repo's eslint.config.mjs.
// Run as a child process: jest's CommonJS runtime cannot import the ESM config. Reads
// [{ filePath, code }] as JSON on stdin and writes [{ filePath, messages }] to stdout.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
// The files do not exist, so the TypeScript project service cannot type them; the wall rules are
// syntactic and need no types, so the type-checked rules are left out here.
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });
const inputs = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
for (const { filePath, code } of inputs) {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  out.push({
    filePath,
    messages: (result?.messages ?? []).map((m) => ({ ruleId: m.ruleId, line: m.line, message: m.message })),
  });
}
process.stdout.write(JSON.stringify(out));
