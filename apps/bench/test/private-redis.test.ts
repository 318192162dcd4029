import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@cprh/testkit';
import { DEPLOYMENT_AOF_REWRITE } from '../src/private-redis';

describe("the bench's private Redis", () => {
  it("rewrites its AOF at the threshold docker-compose.yml's Redis has", () => {
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    const [flag, value] = DEPLOYMENT_AOF_REWRITE;
    const m = new RegExp(`- ${flag}\\n\\s+- '?([^'\\n]+)'?\\n`).exec(compose);
    expect(m?.[1]).toBe(value);
  });
});
