import type Redis from 'ioredis';
import { keySlot } from './key-slot';
import { PipelineError } from './pipeline-error';
import type { RedisConnection } from './redis-connections';

/** How many replicas must hold a write before it counts, and how long to wait for them. */
export interface ReplicaAck {
  readonly minReplicasAck: number;
  readonly waitTimeoutMs: number;
}

/**
 * The connection that serves `key`: the Redis itself, or on a cluster the node connection of the
 * master that holds the key's slot now. WAIT counts the replicas that have the writes of the
 * connection it is sent on, so it must go over the very connection that carried the writes; the
 * cluster routes a key's commands over that node's connection, and this finds the same one.
 */
export function nodeForKey(conn: RedisConnection, key: string): Redis {
  if (!('slots' in conn && conn.isCluster)) return conn as Redis;
  const nodeKey = conn.slots[keySlot(key)]?.[0];
  const node = conn
    .nodes('master')
    .find((n) => `${n.options.host ?? ''}:${n.options.port ?? ''}` === nodeKey);
  if (!node) {
    throw new PipelineError(
      'PIPELINE_REPLICAS_NOT_CONFIRMED',
      `no cluster master known for the slot of the inbox (slot ${keySlot(key)}); the write is not confirmed`,
    );
  }
  return node;
}

/**
 * Redis replicates asynchronously: a master that dies right after answering loses writes it
 * acknowledged. Before a message is acked upstream (or a push answered 20) the writes made for it
 * must reach `minReplicasAck` replicas of the master holding `key` (the inbox's slot); when fewer
 * confirm within the timeout this throws, and the caller does not ack (the message comes again;
 * the inbox job id makes the second write a no-op). 0 replicas: nothing to wait for.
 */
export async function waitForReplicas(conn: RedisConnection, key: string, ack: ReplicaAck): Promise<void> {
  if (ack.minReplicasAck <= 0) return;
  const node = nodeForKey(conn, key);
  let confirmed: number;
  try {
    confirmed = await node.wait(ack.minReplicasAck, ack.waitTimeoutMs);
  } catch (err) {
    throw new PipelineError(
      'PIPELINE_REPLICAS_NOT_CONFIRMED',
      'WAIT for replicas of the inbox write failed',
      {
        cause: err,
      },
    );
  }
  if (confirmed < ack.minReplicasAck) {
    throw new PipelineError(
      'PIPELINE_REPLICAS_NOT_CONFIRMED',
      `${confirmed} of ${ack.minReplicasAck} replicas (REDIS_MIN_REPLICAS_ACK) confirmed the inbox write within ${ack.waitTimeoutMs} ms; not acked`,
    );
  }
}
