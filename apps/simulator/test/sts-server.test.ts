import { X509Certificate } from 'node:crypto';
import { Agent, request } from 'undici';
import { SignedXml } from 'xml-crypto';
import { type StsServer, SAML2_TOKEN_TYPE, WSTRUST_ISSUE, startStsServer } from '../src/sts/sts-server';
import { makeTestPki } from '@cprh/testkit';

const AUDIENCE = 'http://entityid.kombit.dk/service/bfo_modtag/2';

function rst(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    TokenType: SAML2_TOKEN_TYPE,
    RequestType: WSTRUST_ISSUE,
    KeyType: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey',
    AppliesTo: { EndpointReference: { Address: AUDIENCE } },
    ...extra,
  });
}

function verify(xml: string, caPem: string): boolean {
  const signature = /<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#">[\s\S]*?<\/Signature>/.exec(
    xml,
  )?.[0];
  if (!signature) throw new Error('no signature');
  const sig = new SignedXml({ publicCert: caPem });
  sig.loadSignature(signature);
  try {
    return sig.checkSignature(xml);
  } catch {
    return false;
  }
}

describe('STS (REST issue over mutual TLS)', () => {
  const pki = makeTestPki();
  let sts: StsServer;
  let client: Agent;
  const lifetime = 120;

  beforeAll(async () => {
    sts = await startStsServer({ host: '127.0.0.1', port: 0, certs: pki.certs, lifetimeSeconds: lifetime });
    client = new Agent({
      connect: { ca: pki.certs.ca, cert: pki.certs.clientCert, key: pki.certs.clientKey },
    });
  });
  afterAll(async () => {
    await client.close();
    await sts.close();
    pki.cleanup();
  });

  async function issue(body: string, dispatcher: Agent = client) {
    const res = await request(sts.issueUrl, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answer read field by field
  }

  it('issues a signed SAML 2.0 assertion with the right lifetime and subject', async () => {
    const before = Date.now();
    const certDer = new X509Certificate(pki.certs.clientCert).raw.toString('base64');
    const { status, json } = await issue(rst({ AnvenderKontekst: { Cvr: '12345678' }, UseKey: certDer }));
    expect(status).toBe(200);
    expect(json.TokenType).toBe(SAML2_TOKEN_TYPE);
    expect(json.Lifetime).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    const xml = Buffer.from(json.RequestedSecurityToken.Assertion as string, 'base64').toString('utf8');

    const notBefore = Date.parse(/<Conditions NotBefore="([^"]+)"/.exec(xml)?.[1] ?? '');
    const notOnOrAfter = Date.parse(
      /<Conditions NotBefore="[^"]+" NotOnOrAfter="([^"]+)"/.exec(xml)?.[1] ?? '',
    );
    expect(notOnOrAfter - notBefore).toBe(lifetime * 1000);
    expect(notBefore).toBeGreaterThanOrEqual(before - 1000);
    expect(notBefore).toBeLessThanOrEqual(Date.now());
    expect(xml).toContain(`<Audience>${AUDIENCE}</Audience>`);

    const nameId =
      /<NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName">([^<]+)<\/NameID>/.exec(
        xml,
      )?.[1];
    expect(nameId).toBe(
      'C=DK,O=cpr-haendelser dev // CVR:12345678,CN=cprh dev (funktionscertifikat),Serial=CVR:12345678-FID:10000001',
    );
    expect(xml).toMatch(/CvrNumberIdentifier"[^>]*><AttributeValue>12345678</);
    expect(xml).toContain(`<X509Certificate>${certDer}</X509Certificate>`);

    expect(xml).toContain('SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"');
    expect(xml).toContain('CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"');
    expect(verify(xml, pki.certs.ca)).toBe(true);
    // A changed lifetime breaks the signature.
    expect(
      verify(
        xml.replace(
          /NotOnOrAfter="([^"]+)"><AudienceRestriction>/,
          'NotOnOrAfter="2099-01-01T00:00:00.000Z"><AudienceRestriction>',
        ),
        pki.certs.ca,
      ),
    ).toBe(false);
  });

  it('refuses a connection without a client certificate', async () => {
    const anonymous = new Agent({ connect: { ca: pki.certs.ca } });
    try {
      await expect(issue(rst(), anonymous)).rejects.toThrow();
    } finally {
      await anonymous.close();
    }
  });

  it('refuses a certificate from another CA', async () => {
    const other = makeTestPki();
    const stranger = new Agent({
      connect: { ca: pki.certs.ca, cert: other.certs.clientCert, key: other.certs.clientKey },
    });
    try {
      await expect(issue(rst(), stranger)).rejects.toThrow();
    } finally {
      await stranger.close();
      other.cleanup();
    }
  });

  it('answers 401 for another organisation and 400 for a bad request', async () => {
    expect((await issue(rst({ AnvenderKontekst: { Cvr: '87654321' } }))).status).toBe(401);
    expect((await issue(rst({ TokenType: 'urn:other' }))).status).toBe(400);
    expect((await issue(rst({ AppliesTo: {} }))).status).toBe(400);
    expect((await issue('not json')).status).toBe(400);
    expect((await issue(rst({ UseKey: 'AAAA' }))).status).toBe(400);
  });

  it('refuses, as KOMBIT does, a request without KeyType or AnvenderKontekst, and a service it does not know', async () => {
    const ok = { AnvenderKontekst: { Cvr: '12345678' } };
    expect((await issue(rst(ok))).status).toBe(200);
    const without = (field: string) => {
      const body = JSON.parse(rst(ok)) as Record<string, unknown>;
      delete body[field];
      return JSON.stringify(body);
    };
    expect(await issue(without('KeyType'))).toMatchObject({
      status: 400,
      json: { message: 'KeyType is required' },
    });
    expect(await issue(without('AnvenderKontekst'))).toMatchObject({
      status: 400,
      json: { message: 'AnvenderKontekst.Cvr is required' },
    });
    expect(
      await issue(
        rst({
          ...ok,
          AppliesTo: { EndpointReference: { Address: 'http://entityid.kombit.dk/service/other/1' } },
        }),
      ),
    ).toMatchObject({
      status: 400,
      json: {
        message:
          'AppliesTo http://entityid.kombit.dk/service/other/1 is not a service this STS issues tokens for',
      },
    });
  });
});
