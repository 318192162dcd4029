import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { makeDevPki, CPR_SHAPED } from '@cprh/testkit';
import {
  expectValidAnswers,
  pushBody,
  pushClient,
  rawTlsExchange,
  startTestReceiver,
  type PushReply,
  type ReceiverUnderTest,
} from './support/receiver-harness';

const MAX_BYTES = 20_000;

describe('ModtagBesked answers (real HTTPS with mutual TLS, real Redis)', () => {
  const pki = makeDevPki();
  let rx: ReceiverUnderTest;
  let client: ReturnType<typeof pushClient>;
  const replies: PushReply[] = [];
  const send = async (...args: Parameters<typeof client.send>): Promise<PushReply> => {
    const r = await client.send(...args);
    replies.push(r);
    return r;
  };

  beforeAll(async () => {
    rx = await startTestReceiver(pki, { BESKED_MAX_BYTES: String(MAX_BYTES) });
    client = pushClient(pki, { cert: pki.path('client.crt'), key: pki.path('client.key') });
  });
  afterAll(async () => {
    await client.close();
    await rx.stop();
    pki.remove();
  });

  it('stores a message in the inbox with its exact bytes, then answers 200 / StatusKode 20', async () => {
    const id = randomUUID();
    const body = Buffer.from(pushBody(id), 'utf8');
    const r = await send(rx.url, body);
    expect([r.status, r.statusKode, r.fejl]).toEqual([200, 20, undefined]);
    const jobs = await rx.inboxJobs();
    expect(jobs.map((j) => j.id)).toEqual([`b-${id}`]);
    expect(jobs[0]!.body.equals(body)).toBe(true);
    expect(jobs[0]!.data.source).toBe('urn:kombit:beskedfordeler:push');
    expect(jobs[0]!.data.channel).toMatchObject({
      kind: 'push',
      certSubject: expect.stringContaining('CN=cprh dev'),
    });
  });

  it('answers 20 again for a repeat of a BeskedId already in the inbox, which stays one job', async () => {
    const id = randomUUID();
    const first = await send(rx.url, pushBody(id));
    const again = await send(rx.url, pushBody(id));
    expect([first.statusKode, again.statusKode]).toEqual([20, 20]);
    expect((await rx.inboxJobs()).filter((j) => j.id === `b-${id}`)).toHaveLength(1);
  });

  it.each([
    ['not well-formed', (b: string) => b.slice(0, Math.floor(b.length / 2)), 'BESKED_XML_MALFORMED'],
    [
      'a DTD with an entity',
      (b: string) => b.replace('?>', '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>'),
      'BESKED_DTD_FORBIDDEN',
    ],
    [
      'another root',
      () => '<?xml version="1.0"?><Besked xmlns="urn:x"><BeskedId/></Besked>',
      'BESKED_ROOT_UNKNOWN',
    ],
  ])(
    'keeps a body that is %s as a dead letter first, then answers 200 / StatusKode 40 naming it',
    async (_what, spoil, code) => {
      const body = Buffer.from(spoil(pushBody()), 'utf8');
      const before = (await rx.inboxJobs()).length;
      const r = await send(rx.url, body);
      expect([r.status, r.statusKode]).toEqual([200, 40]);
      expect(r.fejl).toMatch(new RegExp(`^${code}: `));
      const letter = (await rx.deadLetters()).find((d) => d.body.equals(body));
      expect(letter?.data).toMatchObject({ code, source: 'urn:kombit:beskedfordeler:push' });
      expect((await rx.inboxJobs()).length).toBe(before);
    },
  );

  it.each([
    ['no BeskedId', (b: string) => b.replace(/<ns2:BeskedId>[\s\S]*?<\/ns2:BeskedId>/, '')],
    [
      'no Haendelsesbesked',
      () => '<sts:ModtagBeskedInput xmlns:sts="urn:oio:sts:1.0.0"></sts:ModtagBeskedInput>',
    ],
  ])(
    'answers HTTP 400 / StatusKode 40 to a well-formed body with %s (kept as a dead letter)',
    async (_what, spoil) => {
      const body = Buffer.from(spoil(pushBody()), 'utf8');
      const r = await send(rx.url, body);
      expect([r.status, r.statusKode]).toEqual([400, 40]);
      expect(r.fejl).toMatch(/^BESKED_FIELD_MISSING: .*(BeskedId|Haendelsesbesked)/);
      expect((await rx.deadLetters()).some((d) => d.body.equals(body))).toBe(true);
    },
  );

  it('refuses a ModtagBeskedInput holding two Haendelsesbesked as a whole: 400 / 40, kept as a dead letter, neither stored', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const inner = (id: string): string =>
      /<ns2:Haendelsesbesked>[\s\S]*<\/ns2:Haendelsesbesked>/.exec(pushBody(id))?.[0] ?? '';
    const body = Buffer.from(pushBody(first).replace(inner(first), inner(first) + inner(second)), 'utf8');
    expect(body.toString()).toContain(second);
    const r = await send(rx.url, body);
    expect([r.status, r.statusKode]).toEqual([400, 40]);
    expect(r.fejl).toBe(
      'BESKED_ELEMENT_UNEXPECTED: ModtagBeskedInput holds 2 Haendelsesbesked; the schema allows exactly one',
    );
    const letter = (await rx.deadLetters()).find((d) => d.body.equals(body));
    expect(letter?.data).toMatchObject({ code: 'BESKED_ELEMENT_UNEXPECTED' });
    // Kept under the hash of its bytes (the body is not read again to find a BeskedId).
    expect(letter?.id).toMatch(/^raw-[0-9a-f]{64}$/);
    const ids = (await rx.inboxJobs()).map((j) => j.id);
    expect(ids).not.toContain(`b-${first}`);
    expect(ids).not.toContain(`b-${second}`);
  });

  it('never echoes a CPR number in FejlbeskedTekst', async () => {
    const r = await send(rx.url, '<?xml version="1.0"?><x0101901234 xmlns="urn:x"/>');
    expect(r.statusKode).toBe(40);
    expect(r.fejl).toBeDefined();
    expect(r.body).not.toMatch(CPR_SHAPED);
  });

  it('answers 413 to a body over BESKED_MAX_BYTES, declared or streamed, and stores nothing', async () => {
    const before = [(await rx.inboxJobs()).length, (await rx.deadLetters()).length];
    const big = pushBody() + ' '.repeat(MAX_BYTES);
    const declared = await send(rx.url, big);
    expect([declared.status, declared.statusKode, declared.headers.connection]).toEqual([413, 40, 'close']);
    // Chunked: no Content-Length, the limit is found while reading.
    const streamed = await send(rx.url, Readable.from([Buffer.from(big)]));
    expect([streamed.status, streamed.statusKode]).toEqual([413, 40]);
    expect([(await rx.inboxJobs()).length, (await rx.deadLetters()).length]).toEqual(before);
  });

  it('does not read the body past the limit: the answer comes while the client is still sending', async () => {
    // A raw TLS client announces a huge body and sends only a little of it.
    const path = new URL(rx.url).pathname;
    const text = await rawTlsExchange(
      pki,
      rx.receiver.port,
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/xml\r\nContent-Length: 100000000\r\n\r\n<a>`,
    );
    expect(text).toMatch(/^HTTP\/1.1 413 /);
  });

  it('answers 415 to another content type, 404 to another path, 405 to another method', async () => {
    const json = await send(rx.url, pushBody(), { contentType: 'application/json' });
    const none = await send(rx.url, pushBody(), { contentType: null });
    const other = await send(new URL('/other', rx.url).toString(), pushBody());
    const get = await send(rx.url, '', { method: 'GET' });
    expect([json.status, none.status, other.status, get.status]).toEqual([415, 415, 404, 405]);
    expect(get.headers.allow).toBe('POST');
    expect([json, none, other, get].map((r) => r.statusKode)).toEqual([40, 40, 40, 40]);
    // text/xml with parameters is XML too.
    expect((await send(rx.url, pushBody(), { contentType: 'text/xml; charset=UTF-8' })).statusKode).toBe(20);
  });

  it('keeps connections alive between pushes', async () => {
    const r = await send(rx.url, pushBody());
    expect(r.headers.connection ?? 'keep-alive').toBe('keep-alive');
    expect(String(r.headers['keep-alive'] ?? '')).toMatch(/timeout=\d+/);
  });

  it('every answer above is a valid ModtagBeskedOutput (AnvendersystemOperationer.xsd)', async () => {
    expect(replies.length).toBeGreaterThan(12);
    await expectValidAnswers(replies);
  });

  it("the README's table of FejlbeskedTekst has every text these answers gave", () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    // Rows `| 400  | \`text\` / \`text\` |`; `…` stands for a position, number or path.
    const documented = [...readme.matchAll(/^\| \d{3}\s+\| (`.*)\|$/gm)].flatMap((m) =>
      [...m[1]!.matchAll(/`([^`]+)`/g)].map(
        (t) => new RegExp(`^${t[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/…/g, '.*')}$`),
      ),
    );
    expect(documented.length).toBeGreaterThan(15);
    const texts = [...new Set(replies.map((r) => r.fejl).filter((f): f is string => f !== undefined))];
    expect(texts.length).toBeGreaterThan(8);
    expect(texts.filter((t) => !documented.some((re) => re.test(t)))).toEqual([]);
  });
});
