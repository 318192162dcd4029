import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { retur, ServiceFault, STATUS, type Args, type Reply } from './soap-args';
import { VAERDILISTE_OPERATIONS } from './vaerdiliste-operations';
import { VaerdilisteStore } from './vaerdiliste-store';

/*
 * The operations of BeskedfordelerService (Beskedfordeler.wsdl) on value lists kept in Redis,
 * as the `soap` package calls them: plain objects in, raw XML out.
 */

export { STATUS } from './soap-args';

export interface BeskedfordelerServiceOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly logger?: Logger;
}

export type OperationHandler = (args: Args) => Promise<Reply>;

/** The port's operations by WSDL name, each answering StandardRetur (20 on success). */
export function beskedfordelerOperations(
  opts: BeskedfordelerServiceOptions,
): Record<string, OperationHandler> {
  const context = {
    store: new VaerdilisteStore(opts.redis, opts.prefix),
    redis: opts.redis,
    prefix: opts.prefix,
  };
  const handlers: Record<string, OperationHandler> = {};
  for (const [name, operation] of Object.entries(VAERDILISTE_OPERATIONS)) {
    handlers[name] = async (args) => {
      try {
        const reply = await operation(context, args ?? {});
        opts.logger?.info({ operation: name }, 'beskedfordeler: operation done');
        return reply;
      } catch (err) {
        if (err instanceof ServiceFault) return retur(err.status, err.message);
        opts.logger?.error({ operation: name, err }, 'beskedfordeler: operation failed');
        return retur(STATUS.ERROR, 'intern fejl');
      }
    };
  }
  return handlers;
}
