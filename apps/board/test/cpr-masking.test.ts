import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { loadConfig } from '@cprh/config';
import { DEAD_JOB_NAME, encodeBody } from '@cprh/pipeline';
import { pipelineTestEnv, readFixture, type PipelineTestEnv } from '@cprh/testkit';
import { startBoard, BOARD_SECTIONS, type RunningBoard } from '../src';

const TEN_DIGITS = /(?<!\d)\d{6}-?\d{4}(?!\d)/;
const SAMPLE = readFixture('beskeder/testbesked01.xml');
const auth = { authorization: `Basic ${Buffer.from('ops:pw').toString('base64')}` };

describe('Bull Board job data without CPR numbers (real Redis)', () => {
  let t: PipelineTestEnv;
  let dead: Queue;
  const boards: RunningBoard[] = [];
  beforeAll(async () => {
    t = pipelineTestEnv({ BOARD_PORT: '0', LOG_LEVEL: 'silent', BOARD_USER: 'ops', BOARD_PASSWORD: 'pw' });
    dead = new Queue('dead', { connection: { url: t.env.REDIS_URL ?? '' }, prefix: t.prefix });
    expect(SAMPLE).toMatch(TEN_DIGITS); // the fixture holds CPR numbers, or this test proves nothing
    await dead.add(
      DEAD_JOB_NAME,
      {
        body: encodeBody(Buffer.from(SAMPLE)),
        source: 'urn:test',
        receivedAt: Date.now(),
        channel: { kind: 'amqp', messageId: undefined, redelivered: false },
        seq: 1,
        code: 'BESKED_FIELD_MISSING',
        message: 'BeskedId is missing',
      },
      { jobId: 'b-masked' },
    );
  });
  afterEach(async () => Promise.all(boards.splice(0).map((b) => b.close())));
  afterAll(async () => {
    await dead.close();
    await t.cleanup();
  });

  async function board(extra: Record<string, string> = {}): Promise<RunningBoard> {
    const b = await startBoard(loadConfig(BOARD_SECTIONS, { ...t.env, ...extra }));
    boards.push(b);
    return b;
  }

  it('masks every CPR number in the job list and the job by default, and refuses edits of masked data', async () => {
    const b = await board({ BOARD_READ_WRITE: 'true' });
    const list = await fetch(`${b.url}api/queues?activeQueue=dead&status=latest&page=1`, { headers: auth });
    const one = await fetch(`${b.url}api/queues/dead/b-masked`, { headers: auth });
    expect([list.status, one.status]).toEqual([200, 200]);
    const [listText, jobText] = [await list.text(), await one.text()];
    expect(jobText).toContain('xxxxxx-xxxx');
    expect(listText).toContain('xxxxxx-xxxx');
    expect(jobText).toContain('BESKED_FIELD_MISSING');
    for (const text of [listText, jobText]) expect(text).not.toMatch(TEN_DIGITS);
    const edit = await fetch(`${b.url}api/queues/dead/b-masked/update-data`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ jobData: { body: 'x' } }),
    });
    expect(edit.status).toBe(405);
    expect(((await dead.getJob('b-masked'))?.data as { body: string }).body).toBe(
      encodeBody(Buffer.from(SAMPLE)),
    );
  });

  it('shows them with BOARD_SHOW_CPR=true, and audits each view: who, what, which BeskedIds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cprh-audit-'));
    const auditFile = join(dir, 'audit.log');
    try {
      const b = await board({ BOARD_SHOW_CPR: 'true', AUDIT_LOG_FILE: auditFile });
      const text = await (await fetch(`${b.url}api/queues/dead/b-masked`, { headers: auth })).text();
      expect(text).toContain('urn:oio:cpr-nr:2512484916');
      await fetch(`${b.url}api/queues?activeQueue=dead&status=latest&page=1`, { headers: auth });
      // The page polling the same job again is the same view: no second line.
      await fetch(`${b.url}api/queues/dead/b-masked`, { headers: auth });
      // A request that shows no message (the health probe) is not an unmasked view.
      await fetch(`${b.url}healthz`);
      const lines = readFileSync(auditFile, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(2);
      const [one, list] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(one).toMatchObject({
        audit: true,
        who: 'board:ops',
        action: 'board.view',
        path: '/api/queues/dead/b-masked',
        beskedIds: ['01157488-c45c-4fd2-b076-1de12effbf66'],
      });
      expect(typeof one?.time).toBe('number');
      expect(list).toMatchObject({ who: 'board:ops', path: '/api/queues' });
      expect(lines.join('\n')).not.toMatch(TEN_DIGITS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes no audit line while masking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cprh-audit-'));
    const auditFile = join(dir, 'audit.log');
    try {
      const b = await board({ AUDIT_LOG_FILE: auditFile });
      expect((await fetch(`${b.url}api/queues/dead/b-masked`, { headers: auth })).status).toBe(200);
      expect(() => readFileSync(auditFile, 'utf8')).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
