import type { Envelope } from './envelopes';
import { runPipeline, type PipelineRunOptions, type PipelineRunResult } from './pipeline-run';
import { fmt, renderTable } from './report-table';

/**
 * What order per person costs. The gate has no off switch (a setting that drops the guarantee
 * would be a trap in production), so "before" and "after" are two workloads through the same
 * build, same sizes, same run:
 *
 * - before: the simulator's feed as it is: persons drawn from 60,000, so a person's events lie
 *   far apart and the gate only keeps its books (its registration at intake, the check in the dispatch
 *   script) and never holds a job back. These are the scale runs of the same `pnpm bench`;
 * - after: the same envelopes rewritten so each person has 5 events within 10 consecutive
 *   messages (a bulk correction, the issue's shape): every job of a person waits for the one
 *   before it (delayed, then woken), with 1, 2 and 4 worker processes.
 *
 * So the figure is the cost of waiting for one's turn; the books' own cost (both workloads pay
 * it) is in the plumbing vs end-to-end CPU split and `pnpm --filter @cprh/bench run profile`.
 */
export interface OrderCostRow {
  workers: number;
  apart: PipelineRunResult;
  together: PipelineRunResult;
}

const EVENTS_PER_PERSON = 5;

/** The envelopes with each block of 10 rewritten to two persons' 5 events each, shuffled. */
export function personsTogether(envelopes: readonly Envelope[], seed = 7): Envelope[] {
  let state = seed;
  const rand = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const firstCpr = (e: Envelope): string =>
    /urn:oio:cpr-nr:(\d{10})/.exec(e.body.toString('latin1'))?.[1] ?? '';
  const out: Envelope[] = [];
  const block = 2 * EVENTS_PER_PERSON;
  for (let i = 0; i < envelopes.length; i += block) {
    const part = envelopes.slice(i, i + block);
    const persons = [firstCpr(part[0]!), firstCpr(part[1] ?? part[0]!)];
    const who = part.map((_, j) => persons[j % 2]!);
    for (let j = who.length - 1; j > 0; j--) {
      const k = Math.floor(rand() * (j + 1));
      [who[j], who[k]] = [who[k]!, who[j]!];
    }
    part.forEach((e, j) => {
      const text = e.body.toString('latin1');
      const cpr = firstCpr(e);
      // Same length (ten digits for ten): the envelope's size does not change.
      out.push({ ...e, body: Buffer.from(cpr === '' ? text : text.split(cpr).join(who[j]), 'latin1') });
    });
  }
  return out;
}

/** The "after" runs, one per worker count, paired with the scale runs of the same size. */
export async function orderCost(
  base: Omit<PipelineRunOptions, 'label' | 'workers'>,
  scale: readonly PipelineRunResult[],
  step: (what: string) => void,
): Promise<OrderCostRow[]> {
  const together = personsTogether(base.envelopes);
  const rows: OrderCostRow[] = [];
  for (const apart of scale) {
    step(`order cost: ${apart.workers} workers, 5 events per person within 10 messages`);
    rows.push({
      workers: apart.workers,
      apart,
      together: await runPipeline({
        ...base,
        envelopes: together,
        label: `persons together, ${apart.workers} workers`,
        workers: apart.workers,
      }),
    });
  }
  return rows;
}

export function renderOrderCost(rows: readonly OrderCostRow[]): string {
  return renderTable(
    [
      'order per person (same envelopes, AOF everysec)',
      'persons apart',
      '5 per person in 10',
      'after / before',
      'worker CPU ms/msg',
    ],
    rows.map((r) => {
      const cpu = (x: PipelineRunResult): string =>
        x.processes
          .filter((p) => p.role.startsWith('worker'))
          .reduce((s, p) => s + p.cpuMsPerMessage, 0)
          .toFixed(3);
      return [
        `${r.workers} worker process${r.workers === 1 ? '' : 'es'}`,
        fmt.rate(r.apart.perSecond),
        fmt.rate(r.together.perSecond),
        fmt.ratio(r.together.perSecond / r.apart.perSecond),
        `${cpu(r.apart)} -> ${cpu(r.together)}`,
      ];
    }),
  );
}
