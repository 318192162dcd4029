import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import {
  createDeadQueue,
  createInboxQueue,
  DEAD_JOB_NAME,
  encodeBody,
  InboxWriter,
  type DeadLetterData,
} from '@cprh/pipeline';
import { pipelineTestEnv, readFixture, type PipelineTestEnv } from '@cprh/testkit';
import { startBoard, BOARD_SECTIONS, type RunningBoard } from '../src';

// Debian's chromium (installed by .ci/run), driven by playwright-core: the board as an operator sees it.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
/** The screenshot the README shows: rewritten only by `pnpm --filter @cprh/board screenshot`. */
const DOCS_SCREENSHOT = join(__dirname, '..', 'docs', 'board-dead-letter.png');
/** Where this run's screenshot goes: a temporary directory, unless the script above asks for the docs. */
const SCREENSHOT_FILE = process.env.BOARD_SCREENSHOT_FILE;
const TEN_DIGITS = /(?<!\d)\d{6}-?\d{4}(?!\d)/;
const SAMPLE = readFixture('beskeder/testbesked01.xml'); // holds CPR numbers in the envelope and the payload
const USER = 'ops';
const PASSWORD = 'browser-test-pw';

const withBeskedId = (id: string): string => SAMPLE.replace('01157488-c45c-4fd2-b076-1de12effbf66', id);
/** A message the worker could not parse: no BeskedId, and a Base64 payload with a CPR number. */
const BROKEN = SAMPLE.replace(/<ns2:BeskedId>[\s\S]*?<\/ns2:BeskedId>/, '').replace(
  '</ns2:Beskeddata>',
  `</ns2:Beskeddata><ns2:Beskeddata><Base64>${Buffer.from('<PNR>010180-1234</PNR>').toString('base64')}</Base64></ns2:Beskeddata>`,
);

describe('the board in a real browser (chromium, real Redis)', () => {
  let t: PipelineTestEnv;
  let redis: Redis;
  let board: RunningBoard;
  let browser: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let shotDir: string;
  const docsMtime = statSync(DOCS_SCREENSHOT).mtimeMs;

  beforeAll(async () => {
    expect(SAMPLE).toMatch(TEN_DIGITS); // else "no CPR number on the page" proves nothing
    t = pipelineTestEnv({ BOARD_PORT: '0', LOG_LEVEL: 'silent', BOARD_USER: USER, BOARD_PASSWORD: PASSWORD });
    const cfg = loadConfig(BOARD_SECTIONS, t.env);
    redis = new Redis(t.env.REDIS_URL ?? '');
    const inbox = createInboxQueue(redis, cfg.pipeline);
    const dead = createDeadQueue(redis, cfg.pipeline);
    const channel = { kind: 'amqp', messageId: undefined, redelivered: false } as const;
    await new InboxWriter(redis, inbox, cfg.pipeline).persist(
      ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'].map((id) => ({
        body: Buffer.from(withBeskedId(id)),
        source: 'urn:test',
        receivedAt: Date.now(),
        channel,
      })),
    );
    // A fixed time, so the committed screenshot only changes when the board does.
    const at = Date.UTC(2026, 11, 1, 9, 30);
    const letter: DeadLetterData = {
      body: encodeBody(Buffer.from(BROKEN)),
      source: 'urn:kombit:beskedfordeler:dueslag:test',
      receivedAt: at,
      channel,
      seq: 3,
      code: 'BESKED_FIELD_MISSING',
      message: 'BeskedId is missing',
      attempts: 1,
      firstFailedAt: at,
      lastFailedAt: at,
      inboxJobId: 'b-broken',
      originalJobId: 'b-broken',
    };
    await dead.add(DEAD_JOB_NAME, letter, { jobId: 'b-broken', timestamp: at });
    await Promise.all([inbox.close(), dead.close()]);

    board = await startBoard(cfg);
    userDataDir = mkdtempSync(join(tmpdir(), 'cprh-chromium-'));
    shotDir = mkdtempSync(join(tmpdir(), 'cprh-board-shot-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      httpCredentials: { username: USER, password: PASSWORD },
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Europe/Copenhagen',
      locale: 'en-GB',
    });
    // The board only: its stylesheet asks for web fonts, which a test must not fetch.
    const origin = new URL(board.url).origin;
    await browser.route('**/*', (route) =>
      new URL(route.request().url()).origin === origin ? route.continue() : route.abort(),
    );
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await board?.close();
    redis?.disconnect();
    await t?.cleanup();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    if (shotDir) rmSync(shotDir, { recursive: true, force: true });
  });

  it('logs in with basic auth and shows inbox and dead with their counts', async () => {
    const res = await page.goto(board.url);
    expect(res?.status()).toBe(200);
    const card = (queue: string) =>
      page
        .locator('a, section, div')
        .filter({ has: page.getByText(queue, { exact: true }) })
        .filter({
          hasText: /\d+ Jobs?/,
        });
    await card('inbox').last().waitFor();
    expect(await card('inbox').last().innerText()).toMatch(/\b2 Jobs\b/);
    expect(await card('dead').last().innerText()).toMatch(/\b1 Job\b/);
  });

  it('opens a dead-lettered job and reads its reason; no CPR number anywhere on the page', async () => {
    await page.goto(`${board.url}queue/dead`);
    await page.getByText('BESKED_FIELD_MISSING: BeskedId is missing').first().waitFor();
    await page.getByText('Data', { exact: true }).first().click();
    await page.getByText('[Base64 payload 1, below]', { exact: false }).first().waitFor();
    // The decoded payloads are a collapsed list: open it, as an operator would.
    await page
      .locator('[role="treeitem"]:has(> span:text-is("payloads:")) > [aria-label="expand JSON"]')
      .click();
    const payload = page.getByText('<PNR>xxxxxx-xxxx</PNR>', { exact: false }).first();
    await payload.waitFor();
    const text = await page.innerText('body');
    expect(text).toContain('code:"BESKED_FIELD_MISSING"');
    expect(text).toContain('message:"BeskedId is missing"');
    expect(text).toContain('xxxxxx-xxxx');
    // Times as ISO 8601 local time with offset (the board's), and no "No workers" on the dead queue.
    expect(text).toMatch(/firstFailedAt:"2026-12-01T\d\d:30:00\.000[+-]\d\d:\d\d"/);
    expect(text).not.toMatch(/no workers/i);
    expect(text).not.toMatch(TEN_DIGITS);
    expect(await page.content()).not.toMatch(TEN_DIGITS);
    // The shot shows the reason and, scrolled into view, the masked message with its decoded payload.
    await payload.scrollIntoViewIfNeeded();
    const shot = SCREENSHOT_FILE ?? join(shotDir, 'board-dead-letter.png');
    await page.screenshot({ path: shot });
    expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
    // Tests write only to temporary places: the committed screenshot is left as it is.
    if (SCREENSHOT_FILE === undefined) expect(statSync(DOCS_SCREENSHOT).mtimeMs).toBe(docsMtime);
  });

  it('answers 401 without credentials, and with wrong ones', async () => {
    expect((await fetch(board.url)).status).toBe(401);
    expect((await fetch(`${board.url}api/queues/dead/b-broken`)).status).toBe(401);
    const wrong = `Basic ${Buffer.from(`${USER}:nope`).toString('base64')}`;
    expect((await fetch(board.url, { headers: { authorization: wrong } })).status).toBe(401);
  });
});
