import type { Config } from '@cprh/config';
import { hashTag, keySlot } from './key-slot';
import { PipelineError } from './pipeline-error';
import { partitionPipelines } from './partition-layout';

/**
 * On a Redis Cluster every key one script or transaction touches must live in one slot: the
 * inbox's BullMQ keys, the receive sequence, the dispatched markers and every stream the dispatch
 * script writes (main stream and routes). The product does not rename anything behind the
 * operator's back (downstream services read the stream by name): it refuses to start, in one line
 * that says which setting to change, when the configured names would cross slots. Names derived
 * from QUEUE_PREFIX share its hash tag, so only the prefix and the stream names are checked.
 */
export function checkClusterKeyLayout(pipeline: Config['pipeline']): void {
  const tag = hashTag(pipeline.queuePrefix);
  if (tag === undefined) {
    throw new PipelineError(
      'PIPELINE_CLUSTER_CROSS_SLOT',
      `On a Redis Cluster QUEUE_PREFIX needs a hash tag so the inbox, markers and streams share a slot: set QUEUE_PREFIX={${pipeline.queuePrefix}} (now "${pipeline.queuePrefix}")`,
    );
  }
  // With PARTITIONS > 1 each partition carries a tag of its own (partition-layout.ts): every
  // partition's names are checked as one layout (the streams' plain names are not written then);
  // the prefix keeps its tag for what is not partitioned (poll-mode scheduler, error-queue moves).
  if (pipeline.partitions > 1) {
    for (const part of partitionPipelines(pipeline))
      checkClusterKeyLayout({ ...part.pipeline, partitions: 1 });
    return;
  }
  const slot = keySlot(pipeline.queuePrefix);
  const streams: [setting: string, name: string][] = [
    ['EVENTS_STREAM', pipeline.eventsStream],
    ...pipeline.routes.map((r): [string, string] => ['ROUTES', r.stream]),
  ];
  for (const [setting, name] of streams) {
    if (keySlot(name) === slot) continue;
    const suggestion = `{${tag}}:${name.replace(/[{}]/g, '')}`;
    throw new PipelineError(
      'PIPELINE_CLUSTER_CROSS_SLOT',
      `On a Redis Cluster the stream "${name}" (${setting}) must carry QUEUE_PREFIX's hash tag {${tag}} so the dispatch script writes it with the markers in one slot: name it e.g. ${suggestion}`,
    );
  }
}
