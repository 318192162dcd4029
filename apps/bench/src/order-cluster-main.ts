/**
 * `pnpm --filter @cprh/bench run bench:order`: only the order-per-person and Redis Cluster sections
 * of `pnpm bench`, with the end-to-end scale runs they compare against (same sizes and settings as
 * `pnpm bench`: BENCH_BACKLOG, BENCH_SCALE, BENCH_SMOKE). Prints the two tables; writes nothing.
 */
import { benchSettings } from './bench-settings';
import { makeEnvelopes } from './envelopes';
import { orderAndClusterSections, renderOrderAndCluster } from './order-and-cluster';
import { runPipeline, type PipelineRunResult } from './pipeline-run';

async function main(): Promise<void> {
  const s = benchSettings();
  const step = (what: string): void => {
    process.stderr.write(`bench: ${what}\n`);
  };
  const base = {
    envelopes: makeEnvelopes(s.backlog, 1),
    stallMs: s.stallMs,
    worker: 'real' as const,
    aof: 'everysec' as const,
  };
  const scale: PipelineRunResult[] = [];
  for (const workers of s.scale) {
    step(`end to end, ${workers} workers`);
    scale.push(await runPipeline({ ...base, label: `end to end, ${workers} workers`, workers }));
  }
  const sections = await orderAndClusterSections(base, scale, step, s.smoke);
  const single = scale[0];
  if (single === undefined) throw new Error('BENCH_SCALE is empty');
  process.stdout.write(renderOrderAndCluster(sections, single).join('\n') + '\n');
  process.stdout.write(
    JSON.stringify({
      orderCost: sections.orderCost?.map((r) => ({
        workers: r.workers,
        apart: r.apart.perSecond,
        together: r.together.perSecond,
      })),
      cluster: sections.cluster,
    }) + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
