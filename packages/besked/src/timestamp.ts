/**
 * xs:dateTime -> RFC 3339 with an explicit offset.
 *
 * A value with `Z` or an offset already names an instant and is returned as given (fractional
 * seconds included). A zoneless value is Danish local time (Europe/Copenhagen): we append the
 * offset in force at that wall-clock time, keeping the digits as written.
 *
 * Daylight-saving switches (our choice, the same as JavaScript Date and Temporal's
 * "compatible" disambiguation):
 * - an ambiguous wall time (the repeated hour in October, e.g. 02:30 on the last Sunday) is the
 *   EARLIER instant, i.e. still summer time: `2024-10-27T02:30:00` -> `2024-10-27T02:30:00+02:00`;
 * - a wall time that does not exist (the skipped hour in March) gets the offset in force just
 *   before the switch: `2024-03-31T02:30:00` -> `2024-03-31T02:30:00+01:00`, which is the instant
 *   03:30+02:00 — the clock reading pushed forward by the gap.
 */

const ZONE = 'Europe/Copenhagen';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' });

/** Offset text per Copenhagen wall-clock hour ("2024-07-01T06"); bounded. */
const offsetByWallHour = new Map<string, string>();

/** Offsets per UTC hour since 1970 (transitions there fall on whole hours); bounded. */
const offsetCache = new Map<number, number>();

/** Minutes east of UTC in Copenhagen at an instant. */
function offsetMinutesAt(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  const cacheable = epochMs >= 0;
  if (cacheable) {
    const hit = offsetCache.get(hour);
    if (hit !== undefined) return hit;
  }
  const parts = offsetFormat.formatToParts(epochMs);
  let name = 'GMT';
  for (const p of parts) if (p.type === 'timeZoneName') name = p.value;
  // "GMT", "GMT+01:00", or before 1894 local mean time "GMT+00:50:20": seconds are dropped
  // (RFC 3339 offsets have minutes only; such dates do not occur in real envelopes).
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(name);
  const minutes =
    m === null || m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  if (cacheable) {
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(hour, minutes);
  }
  return minutes;
}

/** Offset (minutes) for a Copenhagen wall-clock time given as if it were UTC milliseconds. */
export function copenhagenOffsetForWallTime(wallMs: number): number {
  // Offsets in force a day before and a day after: any switch near this wall time lies between.
  const before = offsetMinutesAt(wallMs - DAY_MS);
  const after = offsetMinutesAt(wallMs + DAY_MS);
  if (before === after) return before;
  const beforeValid = offsetMinutesAt(wallMs - before * 60_000) === before;
  const afterValid = offsetMinutesAt(wallMs - after * 60_000) === after;
  if (beforeValid && afterValid) return Math.max(before, after); // ambiguous: earlier instant
  if (beforeValid) return before;
  if (afterValid) return after;
  return before; // nonexistent: offset from before the switch
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** Date.UTC without its 0–99 -> 1900s year mapping. */
function utcMs(year: number, monthIndex: number, day: number, h = 0, mi = 0, s = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  d.setUTCHours(h, mi, s, 0);
  return d.getTime();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

const ZERO = 0x30;

/** The digits at text[i, i + n) as a number, or -1 when one is not an ASCII digit. */
function digitsAt(text: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = text.charCodeAt(k) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Whether the text is `YYYY-MM-DDThh:mm:ss[.f+]Z` with valid fields and an hour of 00–23: the form
 * KOMBIT's envelopes use, which names an instant and is kept as given. Read by character instead
 * of with DATE_TIME (a match array and eight strings, for each of an envelope's timestamps); any
 * other text goes the regex way, which gives the same answer for these (test/timestamp.test.ts).
 */
function isPlainUtc(text: string): boolean {
  const len = text.length;
  if (len < 20 || text.charCodeAt(len - 1) !== 0x5a /* Z */) return false;
  if (
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a
  ) {
    return false;
  }
  if (len > 20) {
    if (text.charCodeAt(19) !== 0x2e || digitsAt(text, 20, len - 21) < 0 || len === 21) return false;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59
  );
}

/**
 * Converts an xs:dateTime to RFC 3339 with an explicit offset, or returns null when the text is
 * not a date-time we accept (4-digit years, valid calendar fields, offsets within ±14:00).
 * `24:00:00` (allowed by XML Schema) becomes 00:00:00 of the next day.
 */
export function toRfc3339(raw: string): string | null {
  const text = raw.trim();
  return isPlainUtc(text) ? text : rfc3339ByPattern(text);
}

/** toRfc3339 of trimmed text by DATE_TIME alone: every form, and the reference for the fast one. */
export function rfc3339ByPattern(text: string): string | null {
  const m = DATE_TIME.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  let hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const fraction = m[7] ?? '';
  const zone = m[8];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (minute > 59 || second > 59) return null;
  if (zone !== undefined && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (om > 59 || oh * 60 + om > 14 * 60) return null;
  }
  let datePart = text.slice(0, 10);
  if (hour === 24) {
    if (minute !== 0 || second !== 0 || /[1-9]/.test(fraction)) return null;
    const next = new Date(utcMs(year, month - 1, day + 1));
    if (next.getUTCFullYear() > 9999) return null;
    datePart = `${String(next.getUTCFullYear()).padStart(4, '0')}-${two(next.getUTCMonth() + 1)}-${two(next.getUTCDate())}`;
    hour = 0;
  } else if (hour > 23) {
    return null;
  }
  const clock = `${two(hour)}:${m[5]}:${m[6]}${fraction}`;
  if (zone !== undefined) {
    return hour === Number(m[4]) ? text : `${datePart}T${clock}${zone}`;
  }
  // Switches happen on whole hours, so the offset is the same for a whole wall-clock hour.
  const hourKey = `${datePart}T${two(hour)}`;
  let offset = offsetByWallHour.get(hourKey);
  if (offset === undefined) {
    const wallMs = utcMs(
      Number(datePart.slice(0, 4)),
      Number(datePart.slice(5, 7)) - 1,
      Number(datePart.slice(8, 10)),
      hour,
    );
    offset = formatOffset(copenhagenOffsetForWallTime(wallMs));
    if (offsetByWallHour.size > 50_000) offsetByWallHour.clear();
    offsetByWallHour.set(hourKey, offset);
  }
  return `${datePart}T${clock}${offset}`;
}
