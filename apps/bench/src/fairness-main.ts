/**
 * `pnpm --filter @cprh/bench run fairness [-- --backlog 100000]`: only the fairness section of
 * `pnpm bench` (issue 20). The backlog is --backlog, else BENCH_FAIRNESS_BACKLOG, else 20,000;
 * B's rate BENCH_FAIRNESS_RATE (50/s); one run per WORKER_CONCURRENCY in BENCH_FAIRNESS_CONCURRENCY
 * (64,8). Prints the table and the figures as JSON; writes nothing.
 */
import { fairness, fairnessOptions, renderFairness } from './fairness';

function backlogArg(argv: readonly string[]): number | undefined {
  const i = argv.indexOf('--backlog');
  if (i < 0) return undefined;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--backlog needs a positive integer, got "${argv[i + 1] ?? ''}"`);
  return n;
}

async function main(): Promise<void> {
  const o = fairnessOptions(backlogArg(process.argv.slice(2)));
  process.stderr.write(
    `bench: fairness, ${o.backlog} waiting for tenant A, tenant B at ${o.rate}/s, WORKER_CONCURRENCY ${o.concurrency.join(' and ')}\n`,
  );
  const r = await fairness(o);
  process.stdout.write(renderFairness(r) + '\n' + JSON.stringify(r) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
