import type { BarePipelineResult } from './bare-pipeline';
import type { PipelineRunResult } from './pipeline-run';
import { median } from './percentiles';
import { fmt, renderTable } from './report-table';

/** One round of the headline runs, back to back: the reference, then ours with each AOF mode. */
export interface HeadlineRound {
  bare: BarePipelineResult;
  everysec: PipelineRunResult;
  always: PipelineRunResult;
}

/** The headline ratios: each round's own ratio, and their median (what the targets read). */
export interface HeadlineRatios {
  everysec: number[];
  always: number[];
  medianEverysec: number;
  medianAlways: number;
}

export function headlineRatios(rounds: readonly HeadlineRound[]): HeadlineRatios {
  const everysec = rounds.map((r) => r.everysec.perSecond / r.bare.perSecond);
  const always = rounds.map((r) => r.always.perSecond / r.bare.perSecond);
  return { everysec, always, medianEverysec: median(everysec), medianAlways: median(always) };
}

/** The round whose everysec ratio is the median: its runs stand for "end to end" elsewhere. */
export function medianRound(rounds: readonly HeadlineRound[]): HeadlineRound {
  const { everysec, medianEverysec } = headlineRatios(rounds);
  let best = 0;
  everysec.forEach((r, i) => {
    if (Math.abs(r - medianEverysec) < Math.abs(everysec[best]! - medianEverysec)) best = i;
  });
  return rounds[best]!;
}

function cpuSum(r: PipelineRunResult): number {
  return r.processes.reduce((s, p) => s + p.cpuMsPerMessage, 0);
}

export function renderHeadlineRounds(rounds: readonly HeadlineRound[]): string {
  const rows = rounds.flatMap((r, i) => {
    const bareCpu = r.bare.cpuMsPerMessage;
    return [
      [
        `round ${i + 1}: bare BullMQ pipeline`,
        fmt.rate(r.bare.perSecond),
        '1.00×',
        `producer ${bareCpu.producer.toFixed(3)}, worker ${bareCpu.worker.toFixed(3)}, redis ${bareCpu.redis.toFixed(3)}; sum ${(bareCpu.producer + bareCpu.worker + bareCpu.redis).toFixed(3)}`,
      ],
      ...[r.everysec, r.always].map((run) => [
        `round ${i + 1}: ${run.label}`,
        fmt.rate(run.perSecond),
        fmt.ratio(run.perSecond / r.bare.perSecond),
        `${run.processes.map((p) => `${p.role} ${p.cpuMsPerMessage.toFixed(3)}`).join(', ')}; sum ${cpuSum(run).toFixed(3)}`,
      ]),
    ];
  });
  const h = headlineRatios(rounds);
  return [
    `Headline: ${rounds.length} alternated round${rounds.length === 1 ? '' : 's'} on the same backlog; the bare BullMQ pipeline is amqplib (prefetch 200) -> addBulk per 100, then ack -> a Worker (concurrency 64) that XADDs the raw bytes`,
    renderTable(['run', 'rate', 'vs bare pipeline', 'CPU ms per message'], rows),
    `median ratio: everysec ${fmt.ratio(h.medianEverysec)} (rounds ${h.everysec.map(fmt.ratio).join(' ')}), always ${fmt.ratio(h.medianAlways)} (rounds ${h.always.map(fmt.ratio).join(' ')})`,
  ].join('\n');
}
