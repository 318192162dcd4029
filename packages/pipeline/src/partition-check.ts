import type { Config } from '@cprh/config';
import type { RedisConnection } from './redis-connections';
import { PipelineError } from './pipeline-error';
import { partitionStreams, partitionsKey, streamDirectoryKey } from './partition-layout';

/**
 * Refuses to start with a PARTITIONS other than the one the data in Redis was written with: a
 * person's events would land in another partition than their earlier ones (order lost) and the
 * markers of the old partitions would not be seen (duplicates). The number is kept in
 * `<QUEUE_PREFIX>:partitions` from the first start with N > 1; data written with one partition is
 * recognised by its receive sequence key. With N > 1 this also writes each stream's directory
 * (streamDirectoryKey), so readers find every partition. With N = 1 nothing is written.
 */
export async function checkPartitions(redis: RedisConnection, pipeline: Config['pipeline']): Promise<void> {
  const n = pipeline.partitions;
  const key = partitionsKey(pipeline);
  const stored = await redis.get(key);
  if (stored === null && n > 1 && (await redis.exists(pipeline.seqKey)) === 1) refuse(key, 1, n);
  if (stored !== null && Number(stored) !== n) refuse(key, Number(stored), n);
  if (n === 1) return;
  if (stored === null) {
    await redis.set(key, String(n), 'NX');
    const now = await redis.get(key);
    if (now !== null && Number(now) !== n) refuse(key, Number(now), n);
  }
  const streams = new Set([pipeline.eventsStream, ...pipeline.routes.map((r) => r.stream)]);
  for (const stream of streams) {
    await redis.set(streamDirectoryKey(stream), partitionStreams(pipeline, stream).join(' '));
  }
}

function refuse(key: string, stored: number, wanted: number): never {
  throw new PipelineError(
    'PIPELINE_PARTITIONS_CHANGED',
    `The data in Redis was written with PARTITIONS=${stored} (${key}), this process has PARTITIONS=${wanted}: set PARTITIONS=${stored}; to change the number, drain the pipeline (inbox and dead letters empty, consumers caught up) and start the new number on a new QUEUE_PREFIX and EVENTS_STREAM`,
  );
}
