import type { Channel, Message } from 'amqplib';
import { inboxJobId, type ReceivedMessage } from '@cprh/pipeline';

/** A message taken from the dueslag and not yet acked, with the AMQP channel its delivery tag belongs to. */
export interface UnackedMessage {
  amqpChannel: Channel;
  msg: Message;
  receivedAt: number;
}

/**
 * The delivery as the inbox takes it: the body's exact bytes, as RabbitMQ handed them over, with
 * its inbox id read here, once (a batch held while Redis refuses writes is not read again).
 */
export function toReceived(d: UnackedMessage, source: string): ReceivedMessage {
  const messageId: unknown = d.msg.properties.messageId;
  return {
    body: d.msg.content,
    source,
    receivedAt: d.receivedAt,
    channel: {
      kind: 'amqp',
      messageId: typeof messageId === 'string' ? messageId : undefined,
      redelivered: d.msg.fields.redelivered,
    },
    id: inboxJobId(d.msg.content),
  };
}
