import { createHash } from 'node:crypto';
import { readFixture } from '@cprh/testkit';
import { inboxJobId, inboxJobIdOf } from '../src';

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

  it('inboxJobIdOf gives the same ids for a BeskedId already read, without parsing the body', () => {
    const xml = Buffer.from(readFixture('beskeder/testbesked01.xml'));
    expect(inboxJobIdOf('01157488-c45c-4fd2-b076-1de12effbf66', Buffer.from('not even XML'))).toEqual({
      jobId: 'b-01157488-c45c-4fd2-b076-1de12effbf66',
      beskedId: '01157488-c45c-4fd2-b076-1de12effbf66',
    });
    expect(inboxJobIdOf('urn:test:besked:1', xml).jobId).toBe(
      `h-${createHash('sha256').update('urn:test:besked:1').digest('hex')}`,
    );
    const raw = `raw-${createHash('sha256').update(xml).digest('hex')}`;
    expect(inboxJobIdOf(null, xml).jobId).toBe(raw);
    expect(inboxJobIdOf(null, xml, 'ab'.repeat(32)).jobId).toBe(`raw-${'ab'.repeat(32)}`);
  });
});
