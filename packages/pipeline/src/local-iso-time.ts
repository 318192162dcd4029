/** Names of the epoch-millisecond fields of inbox jobs and dead letters an operator reads. */
export const TIME_FIELDS: ReadonlySet<string> = new Set([
  'receivedAt',
  'firstFailedAt',
  'lastFailedAt',
  'at',
]);

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/**
 * An instant as an operator reads it: ISO 8601 in this machine's local time with its offset,
 * e.g. `2026-12-01T10:30:00.000+01:00` (TZ decides; the same instant as `toISOString()`).
 */
export function localIsoTime(ms: number): string {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}

/**
 * A copy of job data with every epoch-millisecond time field (TIME_FIELDS, at any depth) shown as
 * localIsoTime; everything else as it was.
 */
export function withLocalTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withLocalTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      TIME_FIELDS.has(k) && typeof v === 'number' && Number.isFinite(v) ? localIsoTime(v) : withLocalTimes(v),
    ]),
  );
}
