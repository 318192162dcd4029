import { toRfc3339 } from '../src';
import { rfc3339ByPattern } from '../src/timestamp';

describe('toRfc3339: xs:dateTime to RFC 3339 with an explicit offset', () => {
  it.each([
    ['2016-03-15T08:00:00', '2016-03-15T08:00:00+01:00'], // winter: CET
    ['2024-07-01T06:20:30', '2024-07-01T06:20:30+02:00'], // summer: CEST
    ['2016-08-13T08:00:00', '2016-08-13T08:00:00+02:00'],
    ['2024-01-01T00:00:00.5', '2024-01-01T00:00:00.5+01:00'], // fraction kept as written
    ['2024-07-01T06:20:30.123456789', '2024-07-01T06:20:30.123456789+02:00'],
    ['  2024-07-01T06:20:30  ', '2024-07-01T06:20:30+02:00'], // xs whitespace collapse
    ['1975-06-01T12:00:00', '1975-06-01T12:00:00+01:00'], // Denmark had no summer time in 1975
    ['1980-06-01T12:00:00', '1980-06-01T12:00:00+02:00'],
    ['2000-02-29T10:00:00', '2000-02-29T10:00:00+01:00'],
    ['2024-12-31T24:00:00', '2025-01-01T00:00:00+01:00'], // XML Schema's end-of-day
  ])('zoneless %s is Copenhagen time: %s', (input, expected) => {
    expect(toRfc3339(input)).toBe(expected);
  });

  it.each([
    '2023-02-13T12:04:12.845Z',
    '2023-02-13T13:04:32.057+01:00',
    '2024-07-01T04:20:30-03:30',
    '2024-07-01T04:20:30+14:00',
    '2024-07-01T04:20:30.000000001Z',
  ])('%s already names an instant and is kept as given', (input) => {
    expect(toRfc3339(input)).toBe(input);
  });

  it('keeps the instant of a zoned end-of-day', () => {
    expect(toRfc3339('2024-02-29T24:00:00Z')).toBe('2024-03-01T00:00:00Z');
  });

  // Our choice at the switches (see timestamp.ts), the same as JavaScript Date and Temporal's
  // "compatible" disambiguation.
  describe('daylight-saving switches', () => {
    it('spring forward (last Sunday of March): 02:00–02:59 does not exist -> the offset from before the switch', () => {
      expect(toRfc3339('2024-03-31T01:59:59')).toBe('2024-03-31T01:59:59+01:00');
      expect(toRfc3339('2024-03-31T02:30:00')).toBe('2024-03-31T02:30:00+01:00'); // = 03:30+02:00
      expect(toRfc3339('2024-03-31T03:00:00')).toBe('2024-03-31T03:00:00+02:00');
      expect(Date.parse('2024-03-31T02:30:00+01:00')).toBe(Date.parse('2024-03-31T03:30:00+02:00'));
    });

    it('fall back (last Sunday of October): 02:00–02:59 happens twice -> the first, still summer time', () => {
      expect(toRfc3339('2024-10-27T01:59:59')).toBe('2024-10-27T01:59:59+02:00');
      expect(toRfc3339('2024-10-27T02:00:00')).toBe('2024-10-27T02:00:00+02:00');
      expect(toRfc3339('2024-10-27T02:59:59')).toBe('2024-10-27T02:59:59+02:00');
      expect(toRfc3339('2024-10-27T03:00:00')).toBe('2024-10-27T03:00:00+01:00');
    });

    it('agrees with JavaScript Date in a Copenhagen process for every hour around both switches', () => {
      // Date with TZ would need a child process; instead check that formatting the instant back
      // in Copenhagen gives the written wall-clock time wherever that time exists.
      const fmt = new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Europe/Copenhagen',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      });
      for (const day of ['2024-03-31', '2024-10-27', '2016-03-27', '2016-10-30']) {
        for (let h = 0; h < 6; h++) {
          const wall = `${day}T0${h}:15:00`;
          const rfc = toRfc3339(wall)!;
          const back = fmt.format(new Date(rfc)).replace(' ', 'T');
          const nonexistent = day.endsWith('03-31') || day.endsWith('03-27') ? h === 2 : false;
          if (!nonexistent) expect(back).toBe(wall);
        }
      }
    });
  });

  it.each([
    'yesterday',
    '2016-03-15',
    '2016-03-15 08:00:00',
    '2016-3-15T08:00:00',
    '16-03-15T08:00:00',
    '-2016-03-15T08:00:00',
    '12016-03-15T08:00:00',
    '0000-03-15T08:00:00',
    '2016-00-15T08:00:00',
    '2016-02-30T08:00:00',
    '2015-02-29T08:00:00',
    '2016-03-15T24:00:01',
    '2016-03-15T25:00:00',
    '2016-03-15T08:60:00',
    '2016-03-15T08:00:60',
    '2016-03-15T08:00:00+15:00',
    '2016-03-15T08:00:00+01:60',
    '2016-03-15T08:00:00z',
    '2016-03-15T08:00:00.Z',
  ])('refuses %s', (input) => {
    expect(toRfc3339(input)).toBeNull();
  });
});

describe('the plain UTC fast path gives what DATE_TIME gives', () => {
  // Seeded, so a failure repeats; the inputs sit around the fast path's form, where it could differ.
  function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const BASES = [
    '2026-06-01T08:00:00.000Z',
    '2024-02-29T23:59:59Z',
    '2023-02-29T12:00:00.5Z',
    '0001-01-01T00:00:00Z',
    '2024-12-31T24:00:00Z',
    '2024-07-01T06:20:30.123456789Z',
  ];
  const CHARS = '0123456789-T:.Z+ zx\u0660';

  function mutate(text: string, next: () => number): string {
    const at = Math.floor(next() * (text.length + 1));
    const c = CHARS[Math.floor(next() * CHARS.length)]!;
    switch (Math.floor(next() * 8)) {
      case 4:
      case 5:
      case 6:
      case 7: {
        // another digit where there is one: mostly still the form, with fields in and out of range
        const d = String(Math.floor(next() * 10));
        return /\d/.test(text.charAt(at)) ? text.slice(0, at) + d + text.slice(at + 1) : text;
      }
      case 0:
        return text.slice(0, at) + c + text.slice(at + 1); // replace
      case 1:
        return text.slice(0, at) + c + text.slice(at); // insert
      case 2:
        return text.slice(0, at) + text.slice(at + 1); // delete
      default:
        return text.slice(0, at); // cut
    }
  }

  it('on 20,000 mutated timestamps, both accepted and refused ones', () => {
    const next = random(2023);
    let kept = 0;
    let refused = 0;
    for (let i = 0; i < 20000; i++) {
      let text = BASES[i % BASES.length]!;
      for (let n = Math.floor(next() * 3); n >= 0; n--) text = mutate(text, next);
      const expected = rfc3339ByPattern(text.trim());
      expect([text, toRfc3339(text)]).toEqual([text, expected]);
      if (expected === null) refused++;
      else if (expected === text.trim()) kept++;
    }
    // Both outcomes must be well represented, or the test says little.
    expect(kept).toBeGreaterThan(2000);
    expect(refused).toBeGreaterThan(2000);
  });
});
