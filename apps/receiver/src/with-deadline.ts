import { ReceiverError } from './receiver-error';

/**
 * Resolves as `work` does, or rejects with RECEIVER_STORE_TIMEOUT after `ms`. The work itself is
 * not cancelled: a write that Redis confirms later is harmless, the sender's retry finds it stored.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new ReceiverError('RECEIVER_STORE_TIMEOUT', `${what} not confirmed within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
