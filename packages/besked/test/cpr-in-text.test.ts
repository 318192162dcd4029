import { cprNumbersIn, maskCprNumbers, CPR_MASK } from '../src';

describe('CPR numbers in a text', () => {
  it('finds each with or without the dash, once, as ten digits', () => {
    expect(cprNumbersIn('<a>0101901234</a> 010190-1234, 2512484916')).toEqual(['0101901234', '2512484916']);
  });

  it('takes no part of a longer number, and no run whose first six digits are not a date', () => {
    // 13-digit epoch ms, a 10-digit run inside 11 digits, epoch seconds (day 17, month 96).
    expect(cprNumbersIn('1796615206119 10101901234 1796615206 3213451234')).toEqual([]);
  });

  it('masks every CPR-shaped run, date or not (as the board does)', () => {
    expect(maskCprNumbers('a 010190-1234 b 9999999999 c 1796615206119')).toBe(
      `a ${CPR_MASK} b ${CPR_MASK} c 1796615206119`,
    );
  });
});
