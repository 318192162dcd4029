import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Absolute path of a file under packages/testkit/fixtures (e.g. `beskeder/testbesked01.xml`). */
export function fixturePath(relative: string): string {
  return join(__dirname, '..', 'fixtures', relative);
}

export function readFixture(relative: string): string {
  return readFileSync(fixturePath(relative), 'utf8');
}

/** The repository root, for spawning entry files of apps. */
export const repoRoot: string = join(__dirname, '..', '..', '..');

/** The entry file of an app (`apps/<app>/src/main.ts`), for spawnTs. */
export function appMain(
  app: 'cli' | 'demo' | 'poller' | 'worker' | 'receiver' | 'webhooks' | 'simulator' | 'board',
): string {
  return join(repoRoot, 'apps', app, 'src', 'main.ts');
}
