import { danishData } from '../src/population/danish-data';

describe('the Danish data set', () => {
  const d = danishData();
  it('has the 98 municipalities with unique four-digit codes', () => {
    expect(d.municipalities).toHaveLength(98);
    expect(new Set(d.municipalities.map((m) => m.kode)).size).toBe(98);
    for (const m of d.municipalities) expect(m.kode).toMatch(/^0[1-8]\d\d$/);
    expect(d.municipalities.find((m) => m.kode === '0101')?.navn).toBe('København');
    expect(d.municipalities.find((m) => m.kode === '0751')?.navn).toBe('Aarhus');
  });
  it('has a postcode in every municipality and none outside them', () => {
    const codes = new Set(d.municipalities.map((m) => m.kode));
    for (const p of d.postcodes) {
      expect(p.postnummer).toMatch(/^\d{4}$/);
      expect(codes.has(p.kommunekode)).toBe(true);
    }
    for (const c of codes) expect(d.postcodesByMunicipality.get(c)?.length).toBeGreaterThan(0);
  });
  it('has names and streets', () => {
    expect(d.firstNames.male.length).toBeGreaterThanOrEqual(30);
    expect(d.firstNames.female.length).toBeGreaterThanOrEqual(30);
    expect(d.surnames.length).toBeGreaterThanOrEqual(30);
    expect(d.streets.length).toBeGreaterThanOrEqual(30);
  });
});
