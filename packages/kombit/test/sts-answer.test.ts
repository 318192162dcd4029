import { lifetimeExpiry, tokenFromAnswer, KombitError } from '../src';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const withConditions =
  '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1"><saml:Subject><saml:NameID>C=DK,CN=x</saml:NameID></saml:Subject>' +
  '<saml:Conditions NotOnOrAfter="2030-01-02T03:04:05.678Z" NotBefore="2030-01-02T02:59:05.678Z"><saml:AudienceRestriction><saml:Audience>urn:aud</saml:Audience></saml:AudienceRestriction></saml:Conditions></saml:Assertion>';
const withoutExpiry =
  '<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a2"><Conditions/></Assertion>';

describe('the STS answer', () => {
  it('takes the expiry from Conditions/@NotOnOrAfter, any prefix, before Lifetime', () => {
    const t = tokenFromAnswer({
      RequestedSecurityToken: { Assertion: b64(withConditions) },
      Lifetime: '01/01/2030 00:00:00',
    });
    expect(t.notOnOrAfter.toISOString()).toBe('2030-01-02T03:04:05.678Z');
    expect(t.notBefore?.toISOString()).toBe('2030-01-02T02:59:05.678Z');
    expect(t).toMatchObject({ id: '_a1', subject: 'C=DK,CN=x', audience: 'urn:aud' });
    expect(t.assertionXml()).toBe(withConditions);
  });

  it('falls back to Lifetime: the STS.json string (UTC) or the older { Created, Expires }', () => {
    const s = tokenFromAnswer({
      RequestedSecurityToken: { Assertion: b64(withoutExpiry) },
      Lifetime: '12/31/2029 23:59:58',
    });
    expect(s.notOnOrAfter.toISOString()).toBe('2029-12-31T23:59:58.000Z');
    const o = tokenFromAnswer({
      RequestedSecurityToken: { Assertion: b64(withoutExpiry) },
      Lifetime: { Created: '12/31/2029 23:54:58', Expires: '12/31/2029 23:59:58' },
    });
    expect(o.notOnOrAfter.toISOString()).toBe('2029-12-31T23:59:58.000Z');
    expect(lifetimeExpiry({ Expires: '2029-12-31T23:59:58Z' })?.toISOString()).toBe(
      '2029-12-31T23:59:58.000Z',
    );
    expect(lifetimeExpiry('soon')).toBeUndefined();
  });

  it.each([
    [{}, /no RequestedSecurityToken.Assertion/],
    [{ RequestedSecurityToken: { Assertion: b64('<x/>') } }, /not a base64 SAML assertion/],
    [
      { RequestedSecurityToken: { Assertion: b64(withoutExpiry) } },
      /neither Conditions\/@NotOnOrAfter nor Lifetime/,
    ],
  ])('malformed answers are KOMBIT_STS_MALFORMED (%#)', (body, message) => {
    expect(() => tokenFromAnswer(body)).toThrow(KombitError);
    expect(() => tokenFromAnswer(body)).toThrow(message);
  });
});
