import type { Cluster, Redis } from 'ioredis';
import type { CprCloudEvent } from '@cprh/besked';

/** Where an event came from in the stream. */
export interface EventMeta {
  /** The stream entry id (pass it to your logs, never the payload). */
  entryId: string;
  /** The receive sequence written by the worker; null when the entry has no numeric `seq`. */
  seq: number | null;
}

export type EventHandler = (event: CprCloudEvent, meta: EventMeta) => Promise<void>;

export interface EventConsumerOptions {
  /**
   * A connection or cluster (left open on stop), a Redis URL, or a Redis Cluster's seed nodes
   * `{ clusterNodes: 'host:port,host:port' }` (the same format as REDIS_CLUSTER_NODES); the last
   * two are connected and closed by the consumer.
   */
  redis: Redis | Cluster | string | { clusterNodes: string };
  /** Default DEFAULT_EVENTS_STREAM of @cprh/besked, `cpr:events`. */
  stream?: string;
  /**
   * With a TENANTS_FILE deployment: the municipality (its `id`) whose events to read. The consumer
   * then reads `<stream>:{<queuePrefix>:<tenant>}` (`cpr:events:{cprh:aarhus}`) and its partitions,
   * never another tenant's. Unset: `stream` as it is (one municipality from the environment).
   */
  tenant?: string;
  /** The pipeline's QUEUE_PREFIX (braces ignored), the base of a tenant's hash tag. Default `cprh`. */
  queuePrefix?: string;
  /** Consumer group: one per downstream service. */
  group: string;
  /** This instance's name inside the group; keep it stable across restarts so it re-reads its own pending entries. */
  consumer: string;
  /** Where a newly created group starts: '0' = the whole stream (default), '$' = only new entries. */
  from?: '0' | '$';
  /** Entries per read. Default 50. */
  batchSize?: number;
  /** How long one read waits for new entries. Default 5000; capped at claimIdleMs so claims stay timely. */
  blockMs?: number;
  /** Entries pending (unacknowledged) longer than this are claimed, from crashed consumers or failed handlers. Default 60000. */
  claimIdleMs?: number;
  /** Does the work; resolve to acknowledge the entry, throw to leave it pending for a retry. */
  handler: EventHandler;
  /** Told of every failure; entryId is null for failures of the loop itself (Redis away). */
  onError?: (err: unknown, entryId: string | null) => void;
}

export interface EventConsumer {
  /** Creates the group if missing and starts the read loop; resolves once the loop runs. */
  start(): Promise<void>;
  /** Finishes the batch in hand, then resolves; a blocked read is cut short. */
  stop(): Promise<void>;
}
