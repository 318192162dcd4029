import { randomBytes } from 'node:crypto';

/**
 * Realistic generated deliveries for the benchmark: the envelope KOMBIT's ExtTest push samples
 * show (routes, credentials, attempts) around a Base64 payload of ~3 KB of CPR-like person XML.
 * Deterministic per index so runs compare.
 */

function uuid(seed: number, n: number): string {
  const hex = ((seed * 2654435761 + n * 40503) >>> 0).toString(16).padStart(8, '0');
  return `${hex}-${hex.slice(0, 4)}-4${hex.slice(1, 4)}-8${hex.slice(4, 7)}-${hex}${hex.slice(0, 4)}`;
}

function cpr(seed: number): string {
  const day = String((seed % 28) + 1).padStart(2, '0');
  const month = String((seed % 12) + 1).padStart(2, '0');
  return `${day}${month}${String(50 + (seed % 49))}${String(1000 + ((seed * 37) % 9000))}`;
}

const FORNAVNE = ['Anne', 'Søren', 'Mette', 'Jens', 'Ærtebjørg', 'Åge', 'Line', 'Mads'];
const EFTERNAVNE = ['Jensen', 'Nielsen', 'Hansen', 'Østergaard', 'Kjær', 'Møller'];
const VEJE = ['Østergade', 'Vestergade', 'Nørregade', 'Søndergade', 'Åboulevarden', 'Torvet'];

function personXml(seed: number): string {
  const pnr = cpr(seed);
  const navn = `${FORNAVNE[seed % FORNAVNE.length]} ${EFTERNAVNE[seed % EFTERNAVNE.length]}`;
  const head =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<cpr:PersonHaendelse xmlns:cpr="urn:example:cpr:person:1" xmlns:adr="urn:example:cpr:adresse:1">' +
    `<cpr:PNR>${pnr}</cpr:PNR><cpr:Status>01</cpr:Status><cpr:StatusDato>2024-07-01</cpr:StatusDato>` +
    `<cpr:Navn><cpr:Fornavne>${navn.split(' ')[0]}</cpr:Fornavne><cpr:Efternavn>${navn.split(' ')[1]}</cpr:Efternavn>` +
    `<cpr:AdresseringsNavn>${navn}</cpr:AdresseringsNavn></cpr:Navn>` +
    `<cpr:Koen>${seed % 2 === 0 ? 'K' : 'M'}</cpr:Koen><cpr:Foedselsdato>19${pnr.slice(4, 6)}-${pnr.slice(2, 4)}-${pnr.slice(0, 2)}</cpr:Foedselsdato>` +
    `<adr:Adresse><adr:Kommunekode>0${101 + (seed % 800)}</adr:Kommunekode><adr:Vejkode>${1000 + (seed % 8000)}</adr:Vejkode>` +
    `<adr:Vejnavn>${VEJE[seed % VEJE.length]}</adr:Vejnavn><adr:Husnummer>${1 + (seed % 120)}</adr:Husnummer>` +
    `<adr:Etage>${seed % 5}</adr:Etage><adr:SideDoer>tv</adr:SideDoer><adr:Postnummer>${8000 + (seed % 900)}</adr:Postnummer>` +
    `<adr:Postdistrikt>Aarhus C</adr:Postdistrikt><adr:Tilflytningsdato>2024-06-30</adr:Tilflytningsdato></adr:Adresse>` +
    '<cpr:Relationer>';
  let body = '';
  for (let i = 0; (head + body).length < 1300; i++) {
    body +=
      `<cpr:Relation><cpr:Type>${['mor', 'far', 'barn', 'aegtefaelle'][i % 4]}</cpr:Type>` +
      `<cpr:PNR>${cpr(seed + i + 1)}</cpr:PNR><cpr:Fra>20${String(10 + i).padStart(2, '0')}-01-0${(i % 9) + 1}</cpr:Fra></cpr:Relation>`;
  }
  let history =
    '</cpr:Relationer><cpr:Civilstand><cpr:Kode>G</cpr:Kode><cpr:Dato>2015-05-16</cpr:Dato></cpr:Civilstand><cpr:Historik>';
  for (let i = 0; (head + body + history).length < 1850; i++) {
    history += `<cpr:Haendelse kode="A0${i % 10}"><cpr:Dato>2023-0${(i % 9) + 1}-1${i % 10}</cpr:Dato><cpr:Tekst>Ændring ${i}</cpr:Tekst></cpr:Haendelse>`;
  }
  return head + body + history + '</cpr:Historik></cpr:PersonHaendelse>';
}

/** One Haendelsesbesked as KOMBIT's deliveries are written (same prefixes), 5.5-6 KB. */
export function generateEnvelope(seed: number): Buffer {
  const payload = Buffer.from(personXml(seed), 'utf8').toString('base64');
  const credentials = randomBytes(80).toString('base64');
  const handling =
    seed % 2 === 0 ? '1e5bb089-5445-44f8-9b65-bc854053f423' : 'urn:cpr-haendelser:sim:handling:flytning';
  const handlingEl = handling.startsWith('urn:')
    ? `<URNIdentifikator>${handling}</URNIdentifikator>`
    : `<UUIDIdentifikator>${handling}</UUIDIdentifikator>`;
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ns2:Haendelsesbesked xmlns="urn:oio:sagdok:3.0.0" xmlns:ns2="urn:oio:besked:kuvert:1.0" xmlns:ns3="http://www.w3.org/2000/09/xmldsig#" xmlns:ns4="urn:oio:sts:1.0.0">
  <ns2:BeskedId><UUIDIdentifikator>${uuid(seed, 1)}</UUIDIdentifikator></ns2:BeskedId>
  <ns2:BeskedVersion>1.0</ns2:BeskedVersion>
  <ns2:Beskedkuvert>
    <ns2:Filtreringsdata>
      <ns2:Beskedtype><UUIDIdentifikator>248ce14c-a863-4fb5-9e6f-7df9ea850809</UUIDIdentifikator></ns2:Beskedtype>
      <ns2:BeskedAnsvarligAktoer><UUIDIdentifikator>d92bb9c2-d826-4028-8fb5-d8b88b4377d4</UUIDIdentifikator></ns2:BeskedAnsvarligAktoer>
      <ns2:TilladtModtager><URNIdentifikator>urn:oio:cvr:29189846</URNIdentifikator></ns2:TilladtModtager>
      <ns2:RelateretObjekt>
        <ns2:ObjektId><URNIdentifikator>urn:oio:cpr-nr:${cpr(seed)}</URNIdentifikator></ns2:ObjektId>
        <ns2:ObjektType><UUIDIdentifikator>ce7fcf97-a8a2-447a-8690-d38aa0f6e23c</UUIDIdentifikator></ns2:ObjektType>
      </ns2:RelateretObjekt>
      <ns2:ObjektRegistrering>
        <ns2:ObjektRegistreringId><UUIDIdentifikator>${uuid(seed, 2)}</UUIDIdentifikator></ns2:ObjektRegistreringId>
        <ns2:RegistreringsAktoer><UUIDIdentifikator>D92BB9C2-D826-4028-8FB5-D8B88B4377D4</UUIDIdentifikator></ns2:RegistreringsAktoer>
        <ns2:Registreringstidspunkt><TidsstempelDatoTid>2024-07-01T06:20:${String(seed % 60).padStart(2, '0')}</TidsstempelDatoTid></ns2:Registreringstidspunkt>
        <ns2:ObjektAnsvarligMyndighed><URNIdentifikator>urn:oio:cvr:29189846</URNIdentifikator></ns2:ObjektAnsvarligMyndighed>
        <ns2:ObjektId><URNIdentifikator>urn:oio:cpr-nr:${cpr(seed)}</URNIdentifikator></ns2:ObjektId>
        <ns2:ObjektType><UUIDIdentifikator>ce7fcf97-a8a2-447a-8690-d38aa0f6e23c</UUIDIdentifikator></ns2:ObjektType>
        <ns2:ObjektHandling>${handlingEl}</ns2:ObjektHandling>
      </ns2:ObjektRegistrering>
    </ns2:Filtreringsdata>
    <ns2:Leveranceinformation>
      <ns2:Dannelsestidspunkt><TidsstempelDatoTid>2024-07-01T06:20:30</TidsstempelDatoTid></ns2:Dannelsestidspunkt>
      <ns2:TransaktionsId><UUIDIdentifikator>${uuid(seed, 3)}</UUIDIdentifikator></ns2:TransaktionsId>
      <ns2:Kildesystem><UUIDIdentifikator>19dc3a1d-c629-4853-b566-7fe49cf674ce</UUIDIdentifikator></ns2:Kildesystem>
      <ns2:KildesystemIPAdresse>::FFFF:172.30.217.227</ns2:KildesystemIPAdresse>
      <ns2:KildesystemAkkreditiver>${credentials}</ns2:KildesystemAkkreditiver>
      <ns2:Sikkerhedsklassificering><UUIDIdentifikator>44f4108b-26d4-46de-a90f-35e35b55b8d8</UUIDIdentifikator></ns2:Sikkerhedsklassificering>
      <ns2:Leveranceruter><ns2:Leverancerute>
        <ns2:Fordelingssystem><UUIDIdentifikator>f9fbbb38-4b2f-11e5-885d-feff819cdc9f</UUIDIdentifikator></ns2:Fordelingssystem>
        <ns2:ModtagelsesTidspunkt><TidsstempelDatoTid>2024-07-01T06:20:31.990+02:00</TidsstempelDatoTid></ns2:ModtagelsesTidspunkt>
        <ns2:LeveranceTidspunkt><TidsstempelDatoTid>2024-07-01T06:20:31.991+02:00</TidsstempelDatoTid></ns2:LeveranceTidspunkt>
        <ns2:LeveranceruteLokalUdvidelse><ns2:AntalLeveranceforsoeg>1</ns2:AntalLeveranceforsoeg></ns2:LeveranceruteLokalUdvidelse>
      </ns2:Leverancerute></ns2:Leveranceruter>
    </ns2:Leveranceinformation>
  </ns2:Beskedkuvert>
  <ns2:Beskeddata><Base64 xmlns="urn:besked:kuvert:1.0" content-type="application/xml" encoding="UTF-8" file-type=".xml">${payload}</Base64></ns2:Beskeddata>
</ns2:Haendelsesbesked>
`;
  // Machine-written deliveries need not be indented: compact between tags, as a JAXB writer does.
  return Buffer.from(xml.replace(/>\n\s*</g, '><'), 'utf8');
}
