import type { InboxWriter, ReceivedMessage } from '@cprh/pipeline';

interface Waiting {
  message: ReceivedMessage;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers the messages of requests that finish in the same turn of the event loop into one
 * InboxWriter.persist call (one INCRBY and one addBulk round trip for all of them), and settles
 * each caller when that write is confirmed or failed. Under load many pushes share a round trip;
 * alone a push waits for nothing extra.
 */
export class InboxBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly writer: Pick<InboxWriter, 'persist'>,
    private readonly maxBatch = 100,
  ) {}

  store(message: ReceivedMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ message, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting.splice(0, this.waiting.length);
    if (batch.length === 0) return;
    this.writer.persist(batch.map((w) => w.message)).then(
      () => batch.forEach((w) => w.resolve()),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    );
  }
}
