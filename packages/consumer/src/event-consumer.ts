import { DEFAULT_EVENTS_STREAM } from '@cprh/besked';
import { ConsumerError } from './consumer-error';
import type { EventConsumer, EventConsumerOptions, EventHandler } from './consumer-options';
import { connect, createStreamConsumer, ownsConnection } from './stream-consumer';
import { tenantStream } from './tenant-stream';

/**
 * Where the pipeline lists a stream's partition streams (space-separated) when PARTITIONS > 1;
 * the same name as `streamDirectoryKey` of @cprh/pipeline. Absent: the stream is read by its name.
 */
export function streamDirectoryKey(stream: string): string {
  return `${stream}:partitions`;
}

/**
 * Reads CloudEvents from a stream, whatever the pipeline's PARTITIONS: at start it looks up the
 * stream's partition streams (one consumer group per partition stream, created as needed) and
 * reads them all, so a downstream service does not change when the number changes. Within a
 * partition entries come in stream order; the handler is called one event at a time across all
 * partitions, so one person's events (always in one partition) reach it in order.
 */
export function createEventConsumer(given: EventConsumerOptions): EventConsumer {
  const options = withTenantStream(given);
  // Checks the options now (throws as before), and is the consumer when there is one stream.
  createStreamConsumer(options);
  const stream = options.stream ?? DEFAULT_EVENTS_STREAM;

  let running: { parts: EventConsumer[]; close: () => Promise<void> } | null = null;
  let startPromise: Promise<void> | null = null;
  let stopPromise: Promise<void> | null = null;

  let chain: Promise<unknown> = Promise.resolve();
  const oneAtATime: EventHandler = (event, meta) => {
    const done = chain.then(() => options.handler(event, meta));
    chain = done.catch(() => undefined);
    return done;
  };

  return {
    start() {
      if (running !== null || stopPromise !== null) return Promise.resolve();
      startPromise ??= (async () => {
        const main = connect(options.redis);
        const owned = ownsConnection(options.redis);
        const close = async (): Promise<void> => {
          if (owned) await main.quit().catch(() => main.disconnect());
        };
        let names: string[];
        try {
          const listed = await main.get(streamDirectoryKey(stream));
          names = listed === null ? [stream] : listed.split(' ').filter((n) => n !== '');
        } catch (err) {
          if (owned) main.disconnect();
          throw new ConsumerError('CONSUMER_REDIS_FAILED', `could not read the partitions of ${stream}`, {
            cause: err,
          });
        }
        const parts = names.map((name) =>
          createStreamConsumer({ ...options, redis: main, stream: name, handler: oneAtATime }),
        );
        try {
          await Promise.all(parts.map((p) => p.start()));
        } catch (err) {
          await Promise.all(parts.map((p) => p.stop().catch(() => undefined)));
          if (owned) main.disconnect();
          throw err;
        }
        running = { parts, close };
      })().finally(() => {
        startPromise = null;
      });
      return startPromise;
    },

    async stop() {
      if (startPromise !== null) await startPromise.catch(() => undefined);
      if (running === null) return;
      stopPromise ??= (async () => {
        if (running === null) return;
        const { parts, close } = running;
        await Promise.all(parts.map((p) => p.stop()));
        await close();
        running = null;
      })().finally(() => {
        stopPromise = null;
      });
      return stopPromise;
    },
  };
}

/** With `tenant`: the options naming that tenant's stream (its partitions are found from it). */
function withTenantStream(options: EventConsumerOptions): EventConsumerOptions {
  if (options.tenant === undefined) {
    if (options.queuePrefix !== undefined) {
      throw new ConsumerError('CONSUMER_OPTIONS_INVALID', 'queuePrefix goes with tenant');
    }
    return options;
  }
  const stream = tenantStream(options.stream ?? DEFAULT_EVENTS_STREAM, options.tenant, options.queuePrefix);
  return { ...options, stream };
}
