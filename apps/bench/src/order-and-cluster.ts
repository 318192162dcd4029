import { clusterRuns, renderClusterRuns, type ClusterRunResult } from './cluster-run';
import { orderCost, renderOrderCost, type OrderCostRow } from './order-cost';
import type { PipelineRunOptions, PipelineRunResult } from './pipeline-run';

/** The sections of `pnpm bench` about order per person and the Redis Cluster (absent in older reports). */
export interface OrderAndClusterReport {
  orderCost?: OrderCostRow[];
  cluster?: ClusterRunResult[];
}

/** Cluster runs use a smaller backlog: 6 nodes and WAIT on 2 cores are slow, and it is the ratio that counts. */
function clusterBacklog(smoke: boolean): number {
  return smoke ? 500 : 10000;
}

export async function orderAndClusterSections(
  base: Omit<PipelineRunOptions, 'label' | 'workers'>,
  scale: readonly PipelineRunResult[],
  step: (what: string) => void,
  smoke: boolean,
): Promise<OrderAndClusterReport> {
  // A smoke run checks the harness: one worker count is enough.
  const order = await orderCost(base, smoke ? scale.slice(0, 1) : scale, step);
  const cluster = await clusterRuns(
    base.envelopes.slice(0, clusterBacklog(smoke)),
    [1, 8],
    base.stallMs,
    step,
  );
  return { orderCost: order, cluster };
}

export function renderOrderAndCluster(b: OrderAndClusterReport, single: PipelineRunResult): string[] {
  return [
    ...(b.orderCost ? [renderOrderCost(b.orderCost), ''] : []),
    ...(b.cluster ? [renderClusterRuns(b.cluster, single), ''] : []),
  ];
}
