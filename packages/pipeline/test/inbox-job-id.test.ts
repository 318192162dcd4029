import { createHash } from 'node:crypto';
import { readFixture } from '@cprh/testkit';
import { peekEnvelopeIds } from '@cprh/besked';
import { inboxJobId, inboxIdOf } from '../src';

describe('inboxJobId', () => {
  it('uses a UUID BeskedId as it is, prefixed', () => {
    const xml = readFixture('beskeder/testbesked01.xml');
    expect(inboxJobId(Buffer.from(xml))).toEqual({
      jobId: 'b-01157488-c45c-4fd2-b076-1de12effbf66',
      beskedId: '01157488-c45c-4fd2-b076-1de12effbf66',
      // The first CPR number the envelope names (RelateretObjekt, 2512484916), hashed.
      person: `c-${createHash('sha256')
        .update('cpr:2512484916')
        .digest('hex')
        .slice(0, 32)
        .replace(/[0-9a-f]/g, (c) => 'abcdefghijklmnop'[parseInt(c, 16)] ?? '')}`,
    });
  });

  it('gives every message about one person the same person key, and never the number itself', () => {
    const xml = readFixture('beskeder/testbesked01.xml');
    const other = xml.replace('01157488-c45c-4fd2-b076-1de12effbf66', '8d1a7c2e-5d0b-4e44-9d43-0b7e9a1f3c11');
    const a = inboxJobId(Buffer.from(xml));
    const b = inboxJobId(Buffer.from(other));
    expect(a.jobId).not.toBe(b.jobId);
    expect(a.person).toBe(b.person);
    expect(a.person).toMatch(/^c-[a-p]{32}$/); // no digits: never looks like a CPR number
    const noPerson = xml.replace(/urn:oio:cpr-nr:\d{10}/g, 'urn:oio:cvr-nr:12345678');
    expect(inboxJobId(Buffer.from(noPerson)).person).toBe(a.jobId);
  });

  it('hashes a URN BeskedId (BullMQ ids may not contain ":")', () => {
    const xml = readFixture('beskeder/testbesked01.xml').replace(
      /<UUIDIdentifikator>01157488-c45c-4fd2-b076-1de12effbf66<\/UUIDIdentifikator>/,
      '<URNIdentifikator>urn:test:besked:1</URNIdentifikator>',
    );
    const { jobId, beskedId } = inboxJobId(Buffer.from(xml));
    expect(beskedId).toBe('urn:test:besked:1');
    expect(jobId).toBe(`h-${createHash('sha256').update('urn:test:besked:1').digest('hex')}`);
    expect(jobId).not.toContain(':');
  });

  it('falls back to a hash of the body when the BeskedId cannot be read', () => {
    const body = Buffer.from('<not-a-besked/>');
    expect(inboxJobId(body)).toEqual({
      jobId: `raw-${createHash('sha256').update(body).digest('hex')}`,
      beskedId: null,
      person: `raw-${createHash('sha256').update(body).digest('hex')}`,
    });
  });

  it('inboxIdOf gives the same ids from what the caller already read, without reading the body', () => {
    const xml = Buffer.from(readFixture('beskeder/testbesked01.xml'));
    expect(inboxIdOf(peekEnvelopeIds(xml), Buffer.from('not even XML'))).toEqual(inboxJobId(xml));
    const urn = { beskedId: 'urn:test:besked:1', cpr: null };
    const hashed = `h-${createHash('sha256').update('urn:test:besked:1').digest('hex')}`;
    expect(inboxIdOf(urn, xml)).toEqual({ jobId: hashed, beskedId: 'urn:test:besked:1', person: hashed });
    const raw = `raw-${createHash('sha256').update(xml).digest('hex')}`;
    expect(inboxIdOf({ beskedId: null, cpr: null }, xml).jobId).toBe(raw);
    expect(inboxIdOf({ beskedId: null, cpr: null }, xml, 'ab'.repeat(32)).jobId).toBe(
      `raw-${'ab'.repeat(32)}`,
    );
  });
});
