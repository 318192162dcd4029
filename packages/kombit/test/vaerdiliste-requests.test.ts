import { randomUUID } from 'node:crypto';
import { readFixture, bodyDocument, makeDevPki, validateAgainstXsd, type DevPki } from '@cprh/testkit';
import { VaerdilisteClient } from '../src';
import {
  envelope,
  output,
  standardRetur,
  startFakeBeskedfordeler,
  type FakeBeskedfordeler,
} from './support/fake-beskedfordeler';

const OK = standardRetur(20, 'OK');
const ACTION = 'http://kombit.dk/sts/beskedfordeler/vaerdiliste/';

function registrering(navn: string, vaerdier: string[]): string {
  return (
    `<vl:Registrering><sd:FraTidspunkt><sd:TidsstempelDatoTid>2026-01-05T08:00:00Z</sd:TidsstempelDatoTid></sd:FraTidspunkt>` +
    `<sd:LivscyklusKode>Opstaaet</sd:LivscyklusKode><vl:AttributListe><vl:Egenskab><vl:Vaerdiliste><vl:Navn>${navn}</vl:Navn>` +
    vaerdier.map((v) => `<vl:Vaerdi>${v}</vl:Vaerdi>`).join('') +
    `</vl:Vaerdiliste></vl:Egenskab></vl:AttributListe><vl:TilstandListe/><vl:RelationListe/></vl:Registrering>`
  );
}

const OUTPUT: Record<string, string> = {
  import: 'ImportOutput',
  ret: 'RetOutput',
  slet: 'SletOutput',
  passiver: 'PassiverOutput',
  tilfoejvaerdier: 'TilfoejVaerdierOutput',
  fjernvaerdier: 'FjernVaerdierOutput',
};

/** Canned answers by SOAPAction, shaped as VaerdilisteOperationer.xsd says. */
function answerFor(action: string, listId: string): string {
  switch (action.replace(ACTION, '')) {
    case 'opret':
      return output(
        'OpretOutput',
        `${OK}<vl:Vaerdiliste><sd:UUIDIdentifikator>${listId}</sd:UUIDIdentifikator>${registrering('fulgte', ['0101901234'])}</vl:Vaerdiliste>`,
      );
    case 'laes':
      return output(
        'LaesOutput',
        `${OK}<vl:LaesResultat>${registrering('fulgte', ['0101901234', '0202802345'])}</vl:LaesResultat>`,
      );
    case 'list':
      return output(
        'ListOutput',
        `${OK}<vl:LaesResultat>${registrering('a', ['0101901234'])}</vl:LaesResultat><vl:LaesResultat>${registrering('b', [])}</vl:LaesResultat>`,
      );
    case 'soeg':
      return output(
        'SoegOutput',
        `${OK}<sd:IdListe><sd:UUIDIdentifikator>${listId}</sd:UUIDIdentifikator></sd:IdListe>`,
      );
    case 'http://kombit.dk/sts/beskedfordeler/flytbeskedtilfejlkoe':
      return envelope(
        `<bf:FlytBeskedTilFejlkoeOutput xmlns:bf="urn:oio:sts:beskedfordeler:1.0.0">${OK}</bf:FlytBeskedTilFejlkoeOutput>`,
      );
    default:
      return output(OUTPUT[action.replace(ACTION, '')] ?? 'RetOutput', OK);
  }
}

describe('VaerdilisteClient requests (the soap client from KOMBIT WSDL, over mutual TLS)', () => {
  let pki: DevPki;
  let fake: FakeBeskedfordeler;
  let client: VaerdilisteClient;
  const listId = randomUUID();

  beforeAll(async () => {
    pki = makeDevPki();
    fake = await startFakeBeskedfordeler(pki);
    fake.answer((r) => ({ status: 200, body: answerFor(r.soapAction, listId) }));
    client = await VaerdilisteClient.create({
      endpoint: fake.url,
      tls: { cert: pki.pem().clientCert, key: pki.pem().clientKey, ca: pki.pem().ca },
      aktoer: { uuid: '00000000-0000-0000-0000-000000000002', typeKode: 'OrganisationFunktion' },
    });
  });

  afterAll(async () => {
    client.close();
    await fake.close();
    pki.remove();
  });

  it('sends every operation valid against KOMBIT schemas, with its SOAPAction, and reads the answers', async () => {
    const indhold = { navn: 'fulgte', brugervendtNoegle: 'fulgte', vaerdier: ['0101901234', '0202802345'] };
    const created = await client.opret(indhold, 'oprettet af test');
    expect(created).toMatchObject({
      uuid: listId,
      navn: 'fulgte',
      vaerdier: ['0101901234'],
      livscyklus: 'Opstaaet',
    });
    await client.importer(listId, indhold, 'import');
    await client.ret(listId, { ...indhold, navn: 'nyt navn' });
    const read = await client.laes(listId);
    // Leading zeros survive: values are strings all the way.
    expect(read).toMatchObject({ uuid: listId, navn: 'fulgte', vaerdier: ['0101901234', '0202802345'] });
    expect(read.fra).toBe('2026-01-05T08:00:00.000Z');
    const other = randomUUID();
    const listed = await client.list([listId, other]);
    expect(listed.map((l) => [l.uuid, l.navn, l.vaerdier.length])).toEqual([
      [listId, 'a', 1],
      [other, 'b', 0],
    ]);
    expect(await client.soeg({ navn: 'fulgte', foerste: 0, maks: 10 })).toEqual([listId]);
    expect(await client.soeg()).toEqual([listId]);
    await client.soeg({ uuid: listId, brugervendtNoegle: 'fulgte' });
    await client.tilfoejVaerdier(listId, ['0303703456']);
    await client.fjernVaerdier(listId, ['0101901234']);
    await client.passiver(listId, 'pause');
    await client.slet(listId);
    await client.flytBeskedTilFejlkoe(readFixture('beskeder/testbesked01.xml'));

    const actions = fake.seen.map((r) => r.soapAction.replace(ACTION, ''));
    expect(actions).toEqual([
      'opret',
      'import',
      'ret',
      'laes',
      'list',
      'soeg',
      'soeg',
      'soeg',
      'tilfoejvaerdier',
      'fjernvaerdier',
      'passiver',
      'slet',
      'http://kombit.dk/sts/beskedfordeler/flytbeskedtilfejlkoe',
    ]);
    const docs = fake.seen.map((r) => bodyDocument(r.body));
    expect(await validateAgainstXsd('VaerdilisteOperationer.xsd', docs.slice(0, -1))).toEqual([]);
    expect(await validateAgainstXsd('BeskedfordelerOperationer.xsd', docs.slice(-1))).toEqual([]);
    // What `soap` writes by itself (vl:UUIDIdentifikator) is refused: the check can fail.
    const wrongNs = (docs[3] ?? '').replace(/sd:UUIDIdentifikator/g, 'vl:UUIDIdentifikator');
    expect(await validateAgainstXsd('VaerdilisteOperationer.xsd', [wrongNs])).not.toEqual([]);
    expect(docs[0]).toContain('<sd:AktoerTypeKode>OrganisationFunktion</sd:AktoerTypeKode>');
    expect(docs[0]).toContain('<vl:Vaerdi>0101901234</vl:Vaerdi><vl:Vaerdi>0202802345</vl:Vaerdi>');
    expect(docs.at(-1)).toMatch(/<bf:FlytBeskedTilFejlkoeInput[^>]*><\w*:?Haendelsesbesked/);
  });
});
