import type { Config } from '@cprh/config';

type PipelineConfig = Config['pipeline'];

/**
 * PARTITIONS: the one place that names a partition's keys and streams; everything else asks here.
 *
 * With PARTITIONS=1 partition 0 is the configuration as it is: every key and stream keeps its
 * name. With N > 1 partition p gets the hash tag `{<base>:p<p>}`, where `<base>` is QUEUE_PREFIX
 * without braces (`cprh` and `{cprh}` both give `{cprh:p3}`):
 *
 * - queue prefix `{cprh:p3}`: its inbox (`{cprh:p3}:inbox:*`), dead letters, `:inbox:seq`,
 *   `:dispatched:<event id>` and `:order:<person>…` keys;
 * - its share of each stream: `<stream without braces>:{cprh:p3}` (`cpr:events:{cprh:p3}`), for
 *   the main stream and every route stream.
 *
 * With a tenant (TENANTS_FILE) the queue prefix is the tenant's tag `{cprh:aarhus}`, so partition p
 * of it is `{cprh:aarhus:p3}` and its stream `cpr:events:{cprh:aarhus:p3}`.
 *
 * So a partition's keys all live in one Cluster slot (checked at start by checkClusterKeyLayout)
 * and the N tags spread over the masters. A message goes to `partitionOf(person, N)`: a stable hash
 * of its person key, so one person's events stay in one partition, in order.
 */
export function partitionCount(pipeline: Pick<PipelineConfig, 'partitions'>): number {
  return pipeline.partitions;
}

/** The hash tag partition `p` of N > 1 carries (without braces). */
export function partitionTag(pipeline: Pick<PipelineConfig, 'queuePrefix'>, p: number): string {
  return `${stripBraces(pipeline.queuePrefix)}:p${p}`;
}

/** A stream's share in partition `p`; the stream itself when there is one partition. */
export function partitionStream(
  pipeline: Pick<PipelineConfig, 'queuePrefix' | 'partitions'> & { readonly tenant?: string | undefined },
  stream: string,
  p: number,
): string {
  if (pipeline.partitions <= 1) return stream;
  // A tenant's stream already ends in the tenant's tag (`cpr:events:{cprh:aarhus}`): the partition's
  // tag replaces it (`cpr:events:{cprh:aarhus:p3}`) rather than being appended to it.
  const tenantTag = `:${pipeline.queuePrefix}`;
  const base =
    pipeline.tenant !== undefined && stream.endsWith(tenantTag) ? stream.slice(0, -tenantTag.length) : stream;
  return `${stripBraces(base)}:{${partitionTag(pipeline, p)}}`;
}

/** Every partition's share of a stream, partition 0 first. */
export function partitionStreams(
  pipeline: Pick<PipelineConfig, 'queuePrefix' | 'partitions'> & { readonly tenant?: string | undefined },
  stream: string,
): string[] {
  return range(pipeline.partitions).map((p) => partitionStream(pipeline, stream, p));
}

/**
 * The pipeline settings of partition `p`, with that partition's names: every component that takes
 * `Config['pipeline']` (InboxWriter, EventDispatcher, OrderGate, queues, retention) serves one
 * partition when given this. Partition 0 of 1 is `pipeline` itself.
 */
export function partitionPipeline(pipeline: PipelineConfig, p: number): PipelineConfig {
  if (p < 0 || p >= pipeline.partitions || !Number.isInteger(p)) {
    throw new RangeError(`partition ${p} outside 0..${pipeline.partitions - 1}`);
  }
  if (pipeline.partitions === 1) return pipeline;
  const prefix = `{${partitionTag(pipeline, p)}}`;
  const stream = (name: string): string => partitionStream(pipeline, name, p);
  return {
    ...pipeline,
    queuePrefix: prefix,
    seqKey: `${prefix}:${pipeline.inboxQueue}:seq`,
    dispatchedKeyPrefix: `${prefix}:dispatched:`,
    orderKeyPrefix: `${prefix}:order:`,
    eventsStream: stream(pipeline.eventsStream),
    routes: pipeline.routes.map((r) => ({ ...r, stream: stream(r.stream) })),
    retainedStreams: pipeline.retainedStreams.map((s) => ({ ...s, stream: stream(s.stream) })),
  };
}

/** The settings of the given partitions (default: all), in partition order. */
export function partitionPipelines(
  pipeline: PipelineConfig,
  only?: readonly number[],
): { partition: number; pipeline: PipelineConfig }[] {
  const wanted = only ?? range(pipeline.partitions);
  return wanted.map((p) => ({ partition: p, pipeline: partitionPipeline(pipeline, p) }));
}

/**
 * The partition of a person key: FNV-1a (32 bit) of the key mod N. Stable across processes,
 * versions and machines, which is all that matters (the key is already a hash for CPR numbers).
 */
export function partitionOf(person: string, partitions: number): number {
  if (partitions <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < person.length; i++) {
    h ^= person.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % partitions;
}

/** Where the number of partitions the data was written with is kept (written when N > 1). */
export function partitionsKey(pipeline: Pick<PipelineConfig, 'queuePrefix'>): string {
  return `${pipeline.queuePrefix}:partitions`;
}

/**
 * A stream's directory: a key naming its partition streams (space-separated), written at start
 * when N > 1, so `@cprh/consumer` and `cprh events tail` find every partition from the stream's
 * name alone. Absent with one partition: the stream is read by its name.
 */
export function streamDirectoryKey(stream: string): string {
  return `${stream}:partitions`;
}

function stripBraces(name: string): string {
  return name.replace(/[{}]/g, '');
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
