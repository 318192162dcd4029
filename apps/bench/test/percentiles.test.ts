import { median, percentile, summarize } from '../src/percentiles';
import { renderTable } from '../src/report-table';

describe('percentile (nearest rank)', () => {
  it('takes the value at ceil(p% of n)', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile(v, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('summarizes unsorted values', () => {
    expect(summarize([30, 10, 20])).toEqual({ count: 3, p50: 20, p99: 30, max: 30 });
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([0.74, 1.1, 0.97])).toBe(0.97);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('renderTable', () => {
  it('pads columns to the widest cell', () => {
    expect(renderTable(['a', 'b'], [['long', 'x']]).split('\n')).toEqual(['a     b', '----  -', 'long  x']);
  });
});
