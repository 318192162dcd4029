import type { Channel } from 'amqplib';
import { DEFAULT_TENANT_ID } from '@cprh/config';
import { oneLine, type InboxWriter } from '@cprh/pipeline';
import { backoffDelay, metrics, sleep, type FaultInjector, type Logger } from '@cprh/runtime';
import { toReceived, type UnackedMessage } from './unacked-message';

/*
 * "Channel" here is two things, named apart: `amqpChannel`, the amqplib channel a message's delivery
 * tag belongs to (acks go to it); and the receive channel (pull or push) the metrics are labelled by
 * (`PULL`) and each message records how it came in (its ChannelMeta, set in toReceived).
 */
const PULL = 'pull';

export type BatchOutcome = 'acked' | 'abandoned';

export interface PersistThenAckOptions {
  writer: Pick<InboxWriter, 'persist'>;
  /** CloudEvent source of the dueslag (eventSources.dueslag). */
  source: string;
  faults: FaultInjector;
  retry: { minMs: number; maxMs: number };
  log: Logger;
  /** Whether acks on an AMQP channel still count (the current one, or one retiring at token renewal). */
  canAck: (amqpChannel: Channel) => boolean;
  /** Aborted when the poller must give up waiting for Redis (shutdown deadline). */
  signal: AbortSignal;
  /** The `tenant` metric label; `default` (no TENANTS_FILE) when not given. */
  tenant?: string;
}

/**
 * The one code path both modes use: store a batch in the inbox, THEN ack it upstream with a single
 * `multiple` ack. While Redis refuses writes the batch is held (unacked) and retried with backoff;
 * `onStall` lets the caller stop taking more messages meanwhile. Nothing is acked that is not
 * stored. If the AMQP channel dies or the poller gives up, the batch is abandoned unacked: RabbitMQ
 * redelivers it and the BeskedId job ids make the second store a no-op.
 */
export class PersistThenAck {
  private readonly labels: { channel: typeof PULL; tenant: string };

  constructor(private readonly o: PersistThenAckOptions) {
    this.labels = { channel: PULL, tenant: o.tenant ?? DEFAULT_TENANT_ID };
  }

  async run(batch: readonly UnackedMessage[], onStall?: () => void): Promise<BatchOutcome> {
    const last = batch[batch.length - 1];
    if (last === undefined) return 'acked';
    const messages = batch.map((d) => toReceived(d, this.o.source));
    metrics.messagesReceived.inc(this.labels, batch.length);
    const redelivered = batch.filter((d) => d.msg.fields.redelivered).length;
    if (redelivered > 0)
      this.o.log.info({ redelivered, size: batch.length }, 'batch holds redelivered messages');
    for (let attempt = 0; ; attempt++) {
      if (!this.o.canAck(last.amqpChannel)) return 'abandoned';
      try {
        await this.o.writer.persist(messages);
        metrics.messagesStored.inc(this.labels, batch.length);
        if (attempt > 0)
          this.o.log.info({ attempts: attempt + 1, size: batch.length }, 'inbox write succeeded again');
        break;
      } catch (err) {
        if (attempt === 0) {
          this.o.log.warn(
            { err: oneLine(err), size: batch.length },
            'inbox write failed; holding the batch unacked',
          );
          onStall?.();
        }
        if (this.o.signal.aborted) return 'abandoned';
        await sleep(backoffDelay(attempt, this.o.retry.minMs, this.o.retry.maxMs), this.o.signal);
        if (this.o.signal.aborted) return 'abandoned';
      }
    }
    // TEST-ONLY (FAULT_INJECT): die, or lose the AMQP channel, with the batch stored but not acked.
    this.o.faults.hit('crash-after-persist');
    if (this.o.faults.hit('close-channel-after-persist'))
      await last.amqpChannel.close().catch(() => undefined);
    if (!this.o.canAck(last.amqpChannel)) return 'abandoned';
    try {
      // Tags are consecutive per AMQP channel and earlier batches are acked, so this acks exactly the batch.
      last.amqpChannel.ack(last.msg, true);
      metrics.messagesAcked.inc(this.labels, batch.length);
    } catch (err) {
      this.o.log.warn({ err: oneLine(err) }, 'ack failed; RabbitMQ will redeliver the batch');
      return 'abandoned';
    }
    this.o.log.debug({ size: batch.length }, 'batch stored and acked');
    return 'acked';
  }
}
