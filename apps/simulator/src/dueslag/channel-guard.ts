import {
  channelClose,
  channelCloseOk,
  CHANNEL_METHOD,
  isChannelMethod,
  queueAccess,
  type Frame,
} from './amqp-wire';
import type { DueslagOwners } from './dueslag-owners';

/** Frames to send on after one batch: to the client and to the upstream broker. */
export interface GuardOutput {
  readonly toClient: Buffer[];
  readonly toUpstream: Buffer[];
}

/**
 * The broker's queue permissions on a relayed connection. A queue method (queue.declare, basic.consume,
 * …) on another CVR's dueslag is answered as RabbitMQ answers it, channel.close 403 ACCESS_REFUSED,
 * and never reaches the upstream; the upstream's side of that channel is closed by the front so the
 * two stay in step. The connection and its other channels go on.
 */
export class ChannelGuard {
  /** Channels closed towards the client, waiting for its close-ok: its frames there are dropped. */
  private readonly closingClient = new Set<number>();
  /** Channels closed towards the upstream: its frames there are dropped until its close-ok(s). */
  private readonly closingUpstream = new Map<number, number>();

  constructor(
    private readonly owners: DueslagOwners,
    private readonly cvr: string,
    private readonly onRefused?: (queue: string) => void,
  ) {}

  fromClient(frames: readonly Frame[]): GuardOutput {
    const out: GuardOutput = { toClient: [], toUpstream: [] };
    for (const f of frames) {
      if (this.closingClient.has(f.channel)) {
        if (isChannelMethod(f, CHANNEL_METHOD.close)) out.toClient.push(channelCloseOk(f.channel));
        if (isChannelMethod(f, CHANNEL_METHOD.closeOk) || isChannelMethod(f, CHANNEL_METHOD.close))
          this.closingClient.delete(f.channel);
        continue;
      }
      const access = queueAccess(f);
      const refusal = access && this.owners.refusal(access.queue, this.cvr);
      if (access === undefined || refusal === undefined) {
        out.toUpstream.push(f.raw);
        continue;
      }
      this.onRefused?.(access.queue);
      this.closingClient.add(f.channel);
      out.toClient.push(channelClose(f.channel, 403, refusal, access.classId, access.methodId));
      this.closingUpstream.set(f.channel, (this.closingUpstream.get(f.channel) ?? 0) + 1);
      out.toUpstream.push(channelClose(f.channel, 200, 'closed by the Beskedfordeler front'));
    }
    return out;
  }

  fromUpstream(frames: readonly Frame[]): GuardOutput {
    const out: GuardOutput = { toClient: [], toUpstream: [] };
    for (const f of frames) {
      const pending = this.closingUpstream.get(f.channel) ?? 0;
      if (pending === 0) {
        out.toClient.push(f.raw);
        continue;
      }
      // Both sides closed at once: the upstream's close is answered, and counts as the close-ok.
      if (isChannelMethod(f, CHANNEL_METHOD.close)) out.toUpstream.push(channelCloseOk(f.channel));
      if (isChannelMethod(f, CHANNEL_METHOD.closeOk) || isChannelMethod(f, CHANNEL_METHOD.close)) {
        if (pending === 1) this.closingUpstream.delete(f.channel);
        else this.closingUpstream.set(f.channel, pending - 1);
      }
    }
    return out;
  }
}
