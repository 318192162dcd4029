import { toRfc3339 } from '../src';

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
