import type { Logger } from 'pino';
import { BFO_MODTAG_ENTITY } from '@cprh/config';
import { DueslagConnection, StsClient, type FunctionCertificate } from '@cprh/kombit';

/**
 * The clients a test opens against the simulator's STS and its Beskedfordeler AMQP front, set up
 * as the poller's (token for BFO modtag, renewed 1 s before expiry, one STS attempt); closeAll()
 * closes them and whatever else was `track`ed, newest first.
 */
export class FrontClients {
  private readonly closers: (() => Promise<unknown>)[] = [];

  constructor(
    private readonly cert: FunctionCertificate,
    private readonly log: Logger,
  ) {}

  sts(sts: { readonly issueUrl: string }, cvr: string): StsClient {
    const c = new StsClient({
      url: sts.issueUrl,
      cvr,
      appliesTo: BFO_MODTAG_ENTITY,
      refreshMarginSeconds: 1,
      certificate: this.cert,
      retry: { attempts: 1, minMs: 10, maxMs: 10 },
    });
    this.track(() => c.close());
    return c;
  }

  dueslag(o: { frontUrl: string; queue: string; sts: StsClient; declareQueue: boolean }): DueslagConnection {
    const c = new DueslagConnection({
      url: o.frontUrl,
      queue: o.queue,
      declareQueue: o.declareQueue,
      retry: { minMs: 100, maxMs: 500 },
      log: this.log,
      login: { sts: o.sts, tls: this.cert.tls() },
    });
    this.track(() => c.close());
    return c;
  }

  track(close: () => Promise<unknown>): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    for (const c of this.closers.splice(0).reverse()) await c().catch(() => undefined);
  }
}
