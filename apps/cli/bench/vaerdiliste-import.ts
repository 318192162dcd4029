/*
 * How long `cprh vaerdiliste import` takes for a 50,000-number file against the simulator's
 * BeskedfordelerService (mutual TLS), run as a user runs it (the real bin, a fresh process):
 *   pnpm --filter @cprh/cli bench                (BENCH_CPR_NUMBERS=50000, BENCH_CHUNK=1000)
 * 1. a new list (importvaerdiliste + tilfoejvaerdier chunks), 2. the same file again (nothing to
 * send after the read), 3. a file with 10% of the numbers replaced (fjern + tilfoej).
 * Needs Redis and RabbitMQ; uses its own key prefix and removes it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipelineTestEnv } from '@cprh/testkit';
import { cprNumbers, runCli } from '@cprh/testkit';
import { startSimForVaerdilister } from '@cprh/simulator/sim-for-vaerdilister';

const N = Number(process.env.BENCH_CPR_NUMBERS ?? 50_000);
const CHUNK = process.env.BENCH_CHUNK ?? '1000';

async function timed(label: string, args: string[], env: Record<string, string>): Promise<void> {
  const t = performance.now();
  const r = await runCli(args, env);
  const ms = performance.now() - t;
  if (r.code !== 0) throw new Error(`${label}: exit ${r.code}: ${r.stderr}`);
  process.stdout.write(
    `${label.padEnd(34)} ${(ms / 1000).toFixed(1)} s wall (process start included): ${r.stdout.trim()}\n`,
  );
}

async function main(): Promise<void> {
  const t = pipelineTestEnv();
  const s = await startSimForVaerdilister(t.env);
  const dir = mkdtempSync(join(tmpdir(), 'cprh-vl-bench-'));
  try {
    const numbers = cprNumbers(N);
    const full = join(dir, 'full.txt');
    writeFileSync(full, numbers.join('\n') + '\n');
    const changed = join(dir, 'changed.txt');
    const tenth = Math.floor(N / 10);
    writeFileSync(changed, [...numbers.slice(tenth), ...cprNumbers(tenth, N)].join('\n') + '\n');
    const id = randomUUID();
    const base = ['vaerdiliste', 'import', id, '--chunk', CHUNK];
    process.stdout.write(
      `cprh vaerdiliste import, ${N.toLocaleString('en')} CPR numbers, chunks of ${CHUNK}\n`,
    );
    await timed('new list', [...base, '--file', full, '--navn', 'bench'], s.cliEnv);
    await timed('same file again (no change)', [...base, '--file', full], s.cliEnv);
    await timed('10% replaced', [...base, '--file', changed], s.cliEnv);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await s.stop();
    await t.cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
