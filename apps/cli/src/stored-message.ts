import {
  createDeadQueue,
  createInboxQueue,
  inboxBytes,
  isStripped,
  partitionPipelines,
} from '@cprh/pipeline';
import { CliError } from './cli-error';
import { connectRedis } from './redis-connect';
import { tenantConfig } from './tenant-scope';

/** A message kept in Redis: a dead letter, or an inbox job that still holds its bytes. */
export interface StoredMessage {
  bytes: Buffer;
  source: string;
}

/**
 * Reads the exact bytes of dead letter `id` (`where` = 'dead') or inbox job `id` ('job').
 * A finished job holds metadata only: that is said, not shown as an empty message.
 */
export async function readStoredMessage(where: 'dead' | 'job', id: string): Promise<StoredMessage> {
  const config = tenantConfig(['redis', 'pipeline']);
  const redis = await connectRedis(config.redis, 'cprh-inspect');
  // Every partition's queue (one with PARTITIONS=1); the id is in at most one of them.
  const queues = partitionPipelines(config.pipeline).map((p) =>
    where === 'dead' ? createDeadQueue(redis, p.pipeline) : createInboxQueue(redis, p.pipeline),
  );
  try {
    let job;
    for (const queue of queues) if ((job = await queue.getJob(id))) break;
    if (!job) {
      throw new CliError(
        'CLI_NOT_FOUND',
        `no ${where === 'dead' ? 'dead letter' : 'inbox job'} with id ${id}`,
      );
    }
    const data = job.data;
    const bytes = isStripped(data) ? undefined : inboxBytes(data);
    if (bytes === undefined) {
      throw new CliError(
        'CLI_NOT_FOUND',
        `${where === 'dead' ? 'dead letter' : 'inbox job'} ${id} keeps metadata only (its message was dispatched or dead-lettered)`,
      );
    }
    return { bytes, source: data.source };
  } finally {
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
    redis.disconnect();
  }
}
