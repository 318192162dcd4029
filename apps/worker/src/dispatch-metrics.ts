import type { CprCloudEvent } from '@cprh/besked';
import { metrics } from '@cprh/runtime';

/**
 * Counts one dispatch of a tenant's event: a written event by each registrering's catalogue name
 * (`unknown` when not in the catalogue, `none` without registreringer) and its time since receipt;
 * a repeat as a duplicate.
 */
export function recordDispatch(
  event: CprCloudEvent,
  written: boolean,
  receivedAt: number,
  tenant: string,
): void {
  if (!written) {
    metrics.duplicatesDropped.inc({ stage: 'dispatch', tenant });
    return;
  }
  // Jobs from before the byte-exact format carry no receipt time.
  if (Number.isFinite(receivedAt))
    metrics.receiptToStream.observe({ tenant }, (Date.now() - receivedAt) / 1000);
  const regs = event.data.registreringer;
  if (regs.length === 0) metrics.eventsDispatched.inc({ event: 'none', tenant });
  for (const r of regs) metrics.eventsDispatched.inc({ event: r.haendelse ?? 'unknown', tenant });
}
