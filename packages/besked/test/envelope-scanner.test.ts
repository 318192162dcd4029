import { BeskedError } from '../src';
import { scanEnvelope } from '../src/envelope-scanner';
import { difference, outcomeOf } from './support/two-readers';

// Hostile shapes the differential fuzz does not produce: huge start tags and deep scopes. The
// scanner must refuse them as the saxes reader does, in time linear in the input.

const ROOT = '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"';

function scanCode(xml: string): string {
  try {
    scanEnvelope(xml, 'UTF-8');
  } catch (err) {
    if (err instanceof BeskedError) return err.code;
    throw err;
  }
  return 'accepted';
}

describe('envelope-scanner on hostile shapes', () => {
  it.each([
    [
      '12,000 attributes in a 60 KB start tag',
      `${ROOT} ${Array.from({ length: 12_000 }, (_, i) => `a${i}=""`).join(' ')}/>`,
    ],
    [
      '12,000 prefixed attributes',
      `${ROOT} xmlns:p="urn:p" ${Array.from({ length: 12_000 }, (_, i) => `p:a${i}=""`).join(' ')}/>`,
    ],
    [
      '12,000 declarations',
      `${ROOT} ${Array.from({ length: 12_000 }, (_, i) => `xmlns:p${i}="u"`).join(' ')}/>`,
    ],
    ['a start tag of 2 MB', `${ROOT} ${Array.from({ length: 200_000 }, (_, i) => `a${i}="x"`).join(' ')}/>`],
    [
      'a truncated start tag of 300 attributes',
      `${ROOT} ${Array.from({ length: 300 }, (_, i) => `a${i}="x"`).join(' ')}`,
    ],
  ])('refuses %s quickly, with the code saxes gives', (_what, xml) => {
    const started = performance.now();
    const code = scanCode(xml);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(code).toBe('BESKED_TOO_LARGE');
    const saxes = outcomeOf(xml, 'saxes');
    expect(saxes.ok ? 'accepted' : saxes.code).toBe(code);
  });

  it('reads 10,000 prefixed attributes at depth 98 under 60 declarations per level quickly, as saxes does', () => {
    const decls = Array.from({ length: 60 }, (_, i) => ` xmlns:p${i}="urn:${i}"`).join('');
    const open = Array.from({ length: 96 }, () => `<p0:d${decls}>`).join('');
    const close = '</p0:d>'.repeat(96);
    const leaf = `<p59:e ${Array.from({ length: 200 }, (_, i) => `p${i % 60}:a${i}=""`).join(' ')}/>`;
    const xml = `${ROOT}><Beskeddata>${open}${leaf.repeat(50)}${close}</Beskeddata></Haendelsesbesked>`;
    const started = performance.now();
    expect(scanCode(xml)).toBe('accepted');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(difference(outcomeOf(xml, 'scanner'), outcomeOf(xml, 'saxes'))).toBeUndefined();
  });
});
