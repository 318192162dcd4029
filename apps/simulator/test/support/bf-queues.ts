import amqp from 'amqplib';
import { deleteAmqpQueues, TEST_AMQP_URL } from '@cprh/testkit';
import { ensureBfVhost } from '../../src/dueslag/bf-vhost';

/** The shared RabbitMQ's vhost BF, where the front's dueslag queues are (as at KOMBIT). */
export const BF_URL = `${TEST_AMQP_URL}/BF`;

/** Declares a test's dueslag queues (durable) on vhost BF, creating the vhost if needed. */
export async function declareBfQueues(queues: readonly string[]): Promise<void> {
  await ensureBfVhost(TEST_AMQP_URL);
  const conn = await amqp.connect(BF_URL);
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.assertQueue(q, { durable: true });
  } finally {
    await conn.close();
  }
}

export async function deleteBfQueues(queues: readonly string[]): Promise<void> {
  await deleteAmqpQueues(queues, BF_URL);
}
