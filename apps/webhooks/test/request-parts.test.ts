import { buildRequest, personKeyOf, personSlot } from '../src';
import { retryAfterMs } from '../src/retry-after';
import { retryDelay } from '../src/retry-delay';
import { newSecret, personEvent } from './support/webhook-harness';

describe('the parts of a request', () => {
  it('binary mode percent-encodes what a header cannot carry as is', () => {
    const e = { ...personEvent(null), source: 'urn:x y "ø" 100%' };
    const r = buildRequest(JSON.stringify(e), 'binary', [newSecret()], 1);
    expect(r.headers['ce-source']).toBe('urn:x%20y%20%22%C3%B8%22%20100%25');
    expect(r.headers['ce-datacontenttype']).toBeUndefined();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(new Date(10_000 + 30_000).toUTCString(), 10_000)).toBe(30_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped, and lets Retry-After win up to the cap', () => {
    for (let i = 0; i < 50; i++) {
      const d1 = retryDelay(1, 1000, 60_000, undefined);
      const d3 = retryDelay(3, 1000, 60_000, undefined);
      expect(d1).toBeGreaterThanOrEqual(500);
      expect(d1).toBeLessThanOrEqual(1000);
      expect(d3).toBeGreaterThanOrEqual(2000);
      expect(d3).toBeLessThanOrEqual(4000);
      expect(retryDelay(30, 1000, 60_000, undefined)).toBeLessThanOrEqual(60_000);
    }
    expect(retryDelay(1, 1000, 60_000, 5000)).toBe(5000);
    expect(retryDelay(1, 1000, 60_000, 3_600_000)).toBe(60_000);
  });

  it('keys a person by the first CPR number, else the event id, and keeps CPR numbers out of Redis key names', () => {
    const a = personEvent('0101801234');
    const none = personEvent(null);
    expect(personKeyOf(a as never)).toBe('cpr:0101801234');
    expect(personKeyOf(none as never)).toBe(`id:${String(none.id)}`);
    expect(personSlot('cpr:0101801234')).not.toContain('0101801234');
    expect(personSlot('cpr:0101801234')).toBe(personSlot(personKeyOf(personEvent('0101801234') as never)));
  });
});
