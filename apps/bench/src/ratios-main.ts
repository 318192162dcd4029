/**
 * The headline ratios alone, in a few minutes instead of `pnpm bench`'s ten:
 * `pnpm --filter @cprh/bench run ratios [n] [rounds]` runs, per round, BullMQ alone, the bare BullMQ
 * pipeline (bare-pipeline.ts) and the end to end pipeline (AOF everysec and always) on the same n
 * envelopes (default 30,000), and prints each round's rates, the ratios and the CPU per message.
 * Rounds alternate the runs, so a machine's load drifting during the series touches each alike.
 */
import { cpus, loadavg } from 'node:os';
import { bareBullmq, type BareBullmqResult } from './bare-bullmq';
import { barePipeline } from './bare-pipeline';
import { headlineRatios, renderHeadlineRounds, type HeadlineRound } from './headline-rounds';
import { makeEnvelopes } from './envelopes';
import { runPipeline, type PipelineRunResult } from './pipeline-run';

const cpu = (r: PipelineRunResult): string =>
  r.processes.map((p) => `${p.role} ${p.cpuMsPerMessage.toFixed(3)}`).join(', ');

const bareCpu = (r: Pick<BareBullmqResult, 'cpuMsPerMessage'>): string =>
  `producer ${r.cpuMsPerMessage.producer.toFixed(3)}, worker ${r.cpuMsPerMessage.worker.toFixed(3)}, redis ${r.cpuMsPerMessage.redis.toFixed(3)}`;

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 30000);
  const rounds = Number(process.argv[3] ?? 1);
  const envelopes = makeEnvelopes(n, 1);
  const base = { envelopes, stallMs: 60000, worker: 'real' as const, workers: 1 };
  process.stdout.write(`ratios: ${n} envelopes, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}\n`);
  const done: HeadlineRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    const alone = await bareBullmq(envelopes);
    const bare = await barePipeline(envelopes);
    const everysec = await runPipeline({ ...base, label: 'everysec', aof: 'everysec' });
    const always = await runPipeline({ ...base, label: 'always', aof: 'always' });
    done.push({ bare, everysec, always });
    const line = (what: string, r: PipelineRunResult): string =>
      `  ${what.padEnd(9)} ${Math.round(r.perSecond).toLocaleString('en')}/s  ${(r.perSecond / bare.perSecond).toFixed(2)}× bare pipeline, ${(r.perSecond / alone.perSecond).toFixed(2)}× BullMQ alone  CPU ms/msg ${cpu(r)}\n`;
    process.stdout.write(
      `round ${round} (load ${loadavg()[0]?.toFixed(1)}): BullMQ alone ${Math.round(alone.perSecond).toLocaleString('en')}/s  CPU ms/msg ${bareCpu(alone)}\n` +
        `  bare BullMQ pipeline ${Math.round(bare.perSecond).toLocaleString('en')}/s  CPU ms/msg ${bareCpu(bare)}\n` +
        line('everysec', everysec) +
        line('always', always),
    );
  }
  const h = headlineRatios(done);
  process.stdout.write(
    `median vs bare pipeline: everysec ${h.medianEverysec.toFixed(2)}×, always ${h.medianAlways.toFixed(2)}×\n\n${renderHeadlineRounds(done)}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`ratios: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
