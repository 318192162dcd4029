import Redis from 'ioredis';
import { eventSources } from '@cprh/besked';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { createDeadQueue } from '@cprh/pipeline';
import { createLogger, type RunningService } from '@cprh/runtime';
import { rewriteBeskedId } from '@cprh/simulator';
import { pipelineTestEnv, TEST_REDIS_URL, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import { publish, runCli, SAMPLE, sha256, waitForStreamLength } from './support/pipeline-harness';

/** The sample with a fresh BeskedId, Danish letters in the payload and the given declared encoding. */
function sample(id: string, encoding: string): string {
  const xml = rewriteBeskedId(SAMPLE, id).replace('Hovedgaden', 'Høvedgåden');
  return xml.replace(/^<\?xml[^?]*\?>/, `<?xml version="1.0" encoding="${encoding}"?>`);
}

/** Exactly these bytes, ISO-8859-1: fails the test if the text has a character latin1 cannot hold. */
function latin1(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  expect(bytes.toString('latin1')).toBe(text);
  return bytes;
}

const ids = {
  latin1: 'e7a00000-0000-4000-8000-000000000001',
  utf16: 'e7a00000-0000-4000-8000-000000000002',
  badUtf8: 'e7a00000-0000-4000-8000-000000000003',
  cp1252Missing: 'e7a00000-0000-4000-8000-000000000004',
};

function messages(): Record<string, Buffer> {
  const badUtf8 = Buffer.from(sample(ids.badUtf8, 'UTF-8'), 'utf8');
  badUtf8[badUtf8.indexOf('Høvedgåden') + 1] = 0xf8; // a lone latin1 ø where UTF-8 was declared
  return {
    latin1: latin1(sample(ids.latin1, 'ISO-8859-1')),
    utf16: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample(ids.utf16, 'UTF-16'), 'utf16le')]),
    badUtf8,
    cp1252Missing: latin1(
      sample(ids.cp1252Missing, 'windows-1252').replace(/<ns2:Beskedtype>[\s\S]*?<\/ns2:Beskedtype>/, ''),
    ),
    garbage: Buffer.from(Array.from({ length: 256 }, (_, i) => i)), // no BeskedId: job id raw-<sha256>
  };
}

/** `cprh inspect -` on the bytes: the event (source aside) or the one error line. */
async function inspect(env: Record<string, string>, bytes: Buffer): Promise<unknown> {
  const r = await runCli(env, ['inspect', '-'], bytes);
  if (r.code === 0) return { ...(JSON.parse(r.stdout.toString('utf8')) as object), source: 'any' };
  expect(r.code).toBe(2);
  return r.stderr.replace(/^cprh inspect: /, '').trimEnd();
}

describe('a message keeps its exact bytes from RabbitMQ to the stream or the dead letter', () => {
  let t: PipelineTestEnv;
  let services: RunningService | undefined;
  const redis = new Redis(TEST_REDIS_URL);

  afterEach(async () => {
    await services?.stop();
    services = undefined;
    await t.cleanup();
  });
  afterAll(() => redis.disconnect());

  it('decodes by BOM and declaration, dead-letters the rest byte for byte, as cprh inspect does', async () => {
    t = pipelineTestEnv();
    const sent = messages();
    await publish(t.env, Object.values(sent));
    services = await startServices(
      loadWorkbenchConfig(START_SECTIONS, t.env),
      createLogger('test', 'silent'),
    );
    const dead = createDeadQueue(redis, loadWorkbenchConfig(['pipeline'], t.env).pipeline);
    try {
      await waitForStreamLength(redis, t.stream, 2);
      await waitFor('three dead letters', async () => (await dead.getWaitingCount()) === 3);
      await services.stop();
      services = undefined;

      // Parsed: the stream holds what inspect prints for the same bytes (the source is the channel).
      const entries = await redis.xrange(t.stream, '-', '+');
      const events = new Map(
        entries.map(([, f]) => {
          const e = JSON.parse(f[f.indexOf('event') + 1] ?? '') as { id: string; source: string };
          return [e.id, e] as const;
        }),
      );
      for (const name of ['latin1', 'utf16'] as const) {
        const event = events.get(ids[name]);
        expect(event?.source).toBe(eventSources.dueslag(t.env.DUESLAG_QUEUE ?? ''));
        expect(JSON.stringify(event)).toContain('Høvedgåden');
        expect({ ...event, source: 'any' }).toEqual(await inspect(t.env, sent[name]!));
      }

      // Dead: exactly the published bytes (sha256 via `cprh dlq show --raw`), the reason inspect gives.
      const letters = {
        badUtf8: `b-${ids.badUtf8}`,
        cp1252Missing: `b-${ids.cp1252Missing}`,
        garbage: `raw-${sha256(sent.garbage!)}`,
      };
      const codes: Record<string, string> = {};
      for (const [name, id] of Object.entries(letters)) {
        const bytes = sent[name]!;
        const raw = await runCli(t.env, ['dlq', 'show', id, '--raw']);
        // Without AUDIT_LOG_FILE the audit line of this unmasked view goes to stderr; nothing else may.
        expect(raw.code).toBe(0);
        expect(
          String(raw.stderr)
            .split('\n')
            .filter((l) => l !== '' && !l.includes('"audit":true')),
        ).toEqual([]);
        expect(sha256(raw.stdout)).toBe(sha256(bytes));
        const shown = await runCli(t.env, ['dlq', 'show', id]);
        const letter = JSON.parse(shown.stdout.toString('utf8')) as {
          code: string;
          message: string;
          sha256: string;
        };
        expect(letter.sha256).toBe(sha256(bytes));
        expect(`${letter.code}: ${letter.message}`).toBe(await inspect(t.env, bytes));
        codes[name] = letter.code;
      }
      expect(codes).toEqual({
        badUtf8: 'BESKED_ENCODING_INVALID',
        cp1252Missing: 'BESKED_FIELD_MISSING',
        garbage: 'BESKED_ENCODING_INVALID',
      });
    } finally {
      await dead.close();
    }
  });
});
