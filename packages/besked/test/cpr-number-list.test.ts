import {
  checkCprNumber,
  cprBirthYear,
  describeCprProblems,
  parseCprEntries,
  parseCprNumberFile,
} from '../src';

describe('checkCprNumber: ten digits, a real birth date, century from the 7th digit', () => {
  it.each([
    ['0101901234', '0101901234'],
    ['010190-1234', '0101901234'],
    ['  311299-0001 ', '3112990001'],
    ['2902004000', '2902004000'], // 7th digit 4, year 00 -> 2000, a leap year
    ['2902009000', '2902009000'], // 9 likewise
    ['2902005000', '2902005000'], // 5-8 with 00-57 -> 2000
    ['2902968000', '2902968000'], // 8 with 96 -> 1896, a leap year
    ['0101001235', '0101001235'], // no modulus-11 check
  ])('accepts %s as %s', (input, cpr) => {
    expect(checkCprNumber(input)).toEqual({ ok: true, cpr });
  });

  it.each([
    ['2902001000', 'date'], // 7th digit 0-3 -> 1900, not a leap year
    ['2902003999', 'date'],
    ['3204901234', 'date'],
    ['3104901234', 'date'], // April has 30 days
    ['0013901234', 'date'],
    ['0001901234', 'date'],
    ['0000001234', 'date'],
    ['123456789', 'format'],
    ['12345678901', 'format'],
    ['010190 1234', 'format'],
    ['01019-01234', 'format'],
    ['010190--1234', 'format'],
    ['0101901234x', 'format'],
    ['abcdefghij', 'format'],
    ['', 'format'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(checkCprNumber(input)).toEqual({ ok: false, problem });
  });

  it.each([
    [0, 0, 1900],
    [99, 3, 1999],
    [36, 4, 2036],
    [37, 4, 1937],
    [57, 5, 2057],
    [58, 8, 1858],
    [99, 6, 1899],
    [36, 9, 2036],
    [37, 9, 1937],
  ])('year %i with 7th digit %i is %i', (yy, seventh, year) => {
    expect(cprBirthYear(yy, seventh)).toBe(year);
  });
});

describe('parseCprNumberFile: one number per line, # comments', () => {
  const file = [
    '# borgere i projektet',
    '0101901234',
    '',
    '020280-2345   # with the dash',
    '3202901234',
    '   ',
    '010190-1234', // same as line 2
    'hello',
    '0303703456',
  ].join('\r\n');

  it('keeps valid numbers once, in order, and reports the others by line without their text', () => {
    const list = parseCprNumberFile('\uFEFF' + file);
    expect(list.numbers).toEqual(['0101901234', '0202802345', '0303703456']);
    expect(list.duplicates).toBe(1);
    expect(list.problems).toEqual([
      { line: 5, problem: 'date' },
      { line: 8, problem: 'format' },
    ]);
    const lines = describeCprProblems(list.problems);
    expect(lines).toEqual([
      'line 5: the first six digits are not a real date (DDMMYY, century from the 7th digit)',
      'line 8: not a CPR number (ten digits, DDMMYYSSSS or DDMMYY-SSSS)',
    ]);
    expect(lines.join('\n')).not.toMatch(/3202|hello/);
  });

  it('counts arguments like lines, and caps a long list of problems', () => {
    const list = parseCprEntries(['0101901234', 'x', ...Array.from({ length: 30 }, () => '9999999999')]);
    expect(list.numbers).toEqual(['0101901234']);
    expect(list.problems).toHaveLength(31);
    expect(list.problems[0]).toEqual({ line: 2, problem: 'format' });
    const lines = describeCprProblems(list.problems, 'argument', 5);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^argument 2: /);
    expect(lines[5]).toBe('… and 26 more');
  });

  it('an empty or comment-only file has no numbers and no problems', () => {
    expect(parseCprNumberFile('# nothing\n\n')).toEqual({ numbers: [], problems: [], duplicates: 0 });
  });
});
