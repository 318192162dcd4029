import type { BareBullmqResult } from './bare-bullmq';
import type { PipelineRunResult } from './pipeline-run';
import { renderPollVsConsume, type PollVsConsumeResult } from './poll-vs-consume';
import type { PushRunResult } from './push-run';
import type { SteadyLoadResult } from './steady-load';
import type { WaitingFootprint } from './waiting-footprint';
import { fmt, renderTable } from './report-table';
import { renderOrderAndCluster, type OrderAndClusterReport } from './order-and-cluster';
import { renderFairness, type FairnessResult } from './fairness';
import { headlineRatios, renderHeadlineRounds, type HeadlineRound } from './headline-rounds';

/** Everything one `pnpm bench` run measured; written as JSON and rendered as the table. */
export interface BenchReport extends OrderAndClusterReport {
  startedAt: string;
  commit: string;
  node: string;
  cores: number;
  /** 1-minute load average before and after: how busy the shared machine was. */
  load: { before: number; after: number };
  smoke: boolean;
  envelopeBytes: number;
  bareAmqp: { seconds: number; perSecond: number };
  /** BullMQ alone: addBulk from memory and a no-op Worker (no AMQP, no stream write). */
  bareBullmq: BareBullmqResult;
  /** Issue 23's headline: the bare BullMQ pipeline and ours, alternated (absent before it existed). */
  rounds?: HeadlineRound[];
  plumbing: PipelineRunResult;
  /** The end-to-end runs of the median round. */
  endToEnd: PipelineRunResult;
  endToEndAlways: PipelineRunResult;
  scale: PipelineRunResult[];
  steady: SteadyLoadResult;
  waiting: WaitingFootprint;
  /** The poller's drain rate in poll and in consume mode (absent from reports before it existed). */
  pollVsConsume?: PollVsConsumeResult;
  /** The receiver's pushes/s, client in another process (absent from reports before it existed). */
  push?: PushRunResult;
  /** Issue 20: a quiet tenant's latency while another drains (absent from reports before it existed). */
  fairness?: FairnessResult;
  totalSeconds: number;
}

const TARGETS = {
  /** Issue 23: end to end against the bare BullMQ pipeline of the same run (median of rounds), ordering on. */
  bareRatio: 0.8,
  bareRatioAlways: 0.7,
  ratio: 0.8,
  perSecond: 2000,
  p99Ms: 100,
  rssBytes: 250 * 1048576,
  redisPer5k: 8 * 1024,
};

function met(ok: boolean): string {
  return ok ? 'met' : 'NOT met';
}

function runRow(
  what: string,
  r: PipelineRunResult,
  plumbing: PipelineRunResult,
  bare: BareBullmqResult,
): string[] {
  return [
    what,
    fmt.rate(r.perSecond),
    `${fmt.ratio(r.perSecond / bare.perSecond)} BullMQ alone, ${fmt.ratio(r.perSecond / plumbing.perSecond)} plumbing; inbox peak ${r.inboxPeakWaiting.toLocaleString('en')}`,
    fmt.s(r.seconds),
  ];
}

function cpuCell(r: PipelineRunResult): string {
  const sum = r.processes.reduce((s, p) => s + p.cpuMsPerMessage, 0);
  return `${r.processes.map((p) => `${p.role} ${p.cpuMsPerMessage.toFixed(3)}`).join(', ')}; sum ${sum.toFixed(3)}`;
}

export function renderReport(b: BenchReport): string {
  const e = b.endToEnd;
  const p = b.plumbing;
  const n = e.messages.toLocaleString('en');
  const rows: string[][] = [
    [
      'bare amqplib consume+ack',
      fmt.rate(b.bareAmqp.perSecond),
      'prefetch 200, ack per 100',
      fmt.s(b.bareAmqp.seconds),
    ],
    ['bare BullMQ addBulk (while draining)', fmt.rate(b.bareBullmq.addPerSecond), 'batches of 100', ''],
    [
      'BullMQ alone: addBulk from memory + no-op Worker',
      fmt.rate(b.bareBullmq.perSecond),
      '1.00× (rows below: "BullMQ alone"); 2 processes',
      fmt.s(b.bareBullmq.seconds),
    ],
    [
      'plumbing limit: our poller + no-op worker',
      fmt.rate(p.perSecond),
      `${fmt.ratio(p.perSecond / b.bareBullmq.perSecond)} BullMQ alone, 1.00× plumbing; inbox peak ${p.inboxPeakWaiting.toLocaleString('en')}`,
      fmt.s(p.seconds),
    ],
    runRow(`end to end, ${n} preloaded, AOF everysec`, e, p, b.bareBullmq),
    runRow('end to end, AOF always', b.endToEndAlways, p, b.bareBullmq),
    ...b.scale.map((r, i) =>
      runRow(
        `scale: ${r.workers} worker process${r.workers === 1 ? '' : 'es'}${i === 0 ? ' (run above)' : ''}`,
        r,
        p,
        b.bareBullmq,
      ),
    ),
    [
      `steady ${b.steady.rate}/s for ${b.steady.seconds} s: p50 / p99 / max`,
      `${fmt.ms(b.steady.p50)} / ${fmt.ms(b.steady.p99)} / ${fmt.ms(b.steady.max)}`,
      `publish -> stream entry, ${b.steady.count} msgs after ${b.steady.warmup} warm-up (max ${fmt.ms(b.steady.warmupMax)}); backlog peak dueslag ${b.steady.peakDueslag}, inbox ${b.steady.peakInbox}; AOF rewrites in the window ${b.steady.aofRewrites}`,
      '',
    ],
    ...e.processes.map((x) => [`peak RSS ${x.role} (end to end)`, fmt.mb(x.peakRssBytes), '', '']),
    [
      `Redis per waiting event (${b.waiting.waiting.toLocaleString('en')} in the inbox)`,
      fmt.kb(b.waiting.redisBytesPerWaiting),
      `${fmt.kb(b.waiting.redisBytesPer5kEvent)} per 5 KB event; envelopes avg ${fmt.kb(b.waiting.envelopeBytes)}`,
      '',
    ],
    [
      'Redis per delivered event (end to end)',
      fmt.kb(e.redisBytesPerMessage),
      'stream entry + kept job + marker',
      '',
    ],
  ];
  const cpu = [p, e, b.endToEndAlways, ...b.scale.slice(1)].map((r) => [`${r.label}`, cpuCell(r)]);
  const peakRss = Math.max(
    ...b.scale.flatMap((r) => r.processes.filter((x) => x.role !== 'redis').map((x) => x.peakRssBytes)),
    ...e.processes.filter((x) => x.role !== 'redis').map((x) => x.peakRssBytes),
  );
  const bare = b.bareBullmq.perSecond;
  const always = b.endToEndAlways;
  const h = b.rounds !== undefined && b.rounds.length > 0 ? headlineRatios(b.rounds) : undefined;
  const headline =
    h === undefined
      ? []
      : [
          [
            `end to end >= ${TARGETS.bareRatio}× bare BullMQ pipeline (AOF everysec, median of ${h.everysec.length})`,
            fmt.ratio(h.medianEverysec),
            met(h.medianEverysec >= TARGETS.bareRatio),
          ],
          [
            `end to end >= ${TARGETS.bareRatioAlways}× bare BullMQ pipeline (AOF always, median of ${h.always.length})`,
            fmt.ratio(h.medianAlways),
            met(h.medianAlways >= TARGETS.bareRatioAlways),
          ],
        ];
  const targets = [
    ...headline,
    [
      `end to end >= ${TARGETS.bareRatio}× BullMQ alone (AOF everysec; median round)`,
      fmt.ratio(e.perSecond / bare),
      met(e.perSecond / bare >= TARGETS.bareRatio),
    ],
    [
      `end to end >= ${TARGETS.bareRatioAlways}× BullMQ alone (AOF always; median round)`,
      fmt.ratio(always.perSecond / bare),
      met(always.perSecond / bare >= TARGETS.bareRatioAlways),
    ],
    [
      `end to end >= ${TARGETS.ratio}× plumbing`,
      fmt.ratio(e.perSecond / p.perSecond),
      met(e.perSecond / p.perSecond >= TARGETS.ratio),
    ],
    [
      `end to end >= ${TARGETS.perSecond}/s (AOF everysec)`,
      fmt.rate(e.perSecond),
      met(e.perSecond >= TARGETS.perSecond),
    ],
    [
      `p99 < ${TARGETS.p99Ms} ms at ${b.steady.rate}/s after warm-up`,
      fmt.ms(b.steady.p99),
      met(b.steady.p99 < TARGETS.p99Ms),
    ],
    ['< 250 MB RSS per process (poller, workers)', fmt.mb(peakRss), met(peakRss < TARGETS.rssBytes)],
    [
      '< 8 KB Redis per waiting 5 KB event',
      fmt.kb(b.waiting.redisBytesPer5kEvent),
      met(b.waiting.redisBytesPer5kEvent < TARGETS.redisPer5k),
    ],
  ];
  return [
    `pnpm bench  ${b.startedAt}  ${b.commit}  node ${b.node}, ${b.cores} cores, load ${b.load.before.toFixed(1)} -> ${b.load.after.toFixed(1)}${b.smoke ? '  SMOKE RUN (sizes too small for figures)' : ''}`,
    '',
    renderTable(['what', 'figure', 'compared', 'time'], rows),
    '',
    ...(b.rounds !== undefined && b.rounds.length > 0 ? [renderHeadlineRounds(b.rounds), ''] : []),
    renderTable(['CPU ms per message', 'by process'], cpu),
    '',
    renderTable(['target', 'this run', ''], targets),
    '',
    ...(b.pollVsConsume ? [renderPollVsConsume(b.pollVsConsume), ''] : []),
    ...(b.push ? [renderPush(b.push, b.pollVsConsume), ''] : []),
    ...renderOrderAndCluster(b, e),
    ...(b.fairness ? [renderFairness(b.fairness), ''] : []),
    `total ${fmt.s(b.totalSeconds)}`,
  ].join('\n');
}

/** Push beside pull: both are the rate of messages stored in the inbox, no worker running. */
function renderPush(r: PushRunResult, pull: PollVsConsumeResult | undefined): string {
  const pullRate = pull?.best.consume.perSecond;
  return renderTable(
    ['push vs pull, stored in the inbox', 'rate', 'per message'],
    [
      [
        `push: ${r.pushes.toLocaleString('en')} × ${fmt.kb(r.bodyBytes)}, ${r.connections} mTLS keep-alive conns, client own process`,
        fmt.rate(r.perSecond),
        `p50 ${fmt.ms(r.p50)}, p99 ${fmt.ms(r.p99)}; CPU ms receiver ${r.receiverCpuMsPerPush.toFixed(3)}, redis ${r.redisCpuMsPerPush.toFixed(3)} (client ${r.clientCpuMsPerPush.toFixed(3)})`,
      ],
      ...(pullRate === undefined
        ? []
        : [
            [
              'pull: poller drain, consume mode (best round above)',
              fmt.rate(pullRate),
              `push / pull ${fmt.ratio(r.perSecond / pullRate)}; CPU ms poller ${pull?.best.consume.pollerCpuMsPerMessage.toFixed(3) ?? ''}`,
            ],
          ]),
    ],
  );
}
