import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BeskedError,
  beskedToCloudEvent,
  createCatalogue,
  eventSources,
  maskCprNumbers,
  parseCatalogueJson,
  peekBeskedId,
  type EventCatalogue,
} from '@cprh/besked';
import { ConfigError, loadConfig } from '@cprh/config';
import type { Command } from '../command';
import { CliError } from '../cli-error';
import { UsageError } from '../command';
import { auditTenant, scopedTenant } from '../tenant-scope';

const USAGE = 'usage: cprh inspect FILE|- | --dead ID | --job ID [--show-cpr]';

/** Reads at most `cap` bytes: enough for the parser to see that a file is over the limit. */
async function readCapped(path: string, cap: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(1 << 20, cap - total);
      if (want <= 0) break;
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(want), 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

async function readStdinCapped(cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    total += chunk.length;
    if (total >= cap) break; // stop reading: the size check will refuse it
  }
  return Buffer.concat(chunks, total).subarray(0, cap);
}

// The message names what and where, never file content.
function fileProblem(what: string, err: unknown): CliError {
  const code = (err as { code?: unknown }).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a directory'
        : code === 'EACCES'
          ? 'permission denied'
          : typeof code === 'string'
            ? code
            : 'unreadable';
  return new CliError('CLI_FILE_UNREADABLE', `cannot read ${what}: ${reason}`, { cause: err });
}

async function loadCatalogue(file: string | null): Promise<EventCatalogue | undefined> {
  if (file === null) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw fileProblem(`EVENT_CATALOGUE_FILE ${file}`, err);
  }
  return createCatalogue(parseCatalogueJson(text));
}

function oneLine(err: unknown): string {
  let text: string;
  if (err instanceof BeskedError || err instanceof ConfigError) text = `${err.code}: ${err.message}`;
  else if (err instanceof CliError) text = err.message;
  else text = `unexpected error: ${(err as Error).message ?? String(err)}`;
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * `cprh inspect FILE|-`: parses one Haendelsesbesked (or ModtagBeskedInput) and prints its CloudEvent
 * as one compact JSON line on stdout (exit 0). Bad input: nothing on stdout, one line on stderr
 * (`cprh inspect: CODE: problem`), exit 2. Uses BESKED_MAX_BYTES and EVENT_CATALOGUE_FILE.
 */
export const inspect: Command = async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        help: { type: 'boolean', short: 'h' },
        dead: { type: 'string' },
        job: { type: 'string' },
        'show-cpr': { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}; ${USAGE}`);
  }
  if (parsed.values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [target, ...extra] = parsed.positionals;
  const { dead, job } = parsed.values;
  const showCpr = parsed.values['show-cpr'] === true;
  const stored =
    dead !== undefined
      ? ({ where: 'dead', id: dead } as const)
      : job !== undefined
        ? ({ where: 'job', id: job } as const)
        : undefined;
  if (dead !== undefined && job !== undefined) throw new UsageError(`--dead or --job, not both; ${USAGE}`);
  if (stored !== undefined ? target !== undefined : target === undefined || extra.length > 0 || showCpr)
    throw new UsageError(`expected exactly one FILE or -, or --dead/--job ID; ${USAGE}`);

  // A stored message is one municipality's: with TENANTS_FILE, `--tenant` first (exit 1 as for dlq).
  if (stored !== undefined) scopedTenant();
  try {
    const config = loadConfig(['besked', 'log']);
    const { maxBytes, catalogueFile } = config.besked;
    const catalogue = await loadCatalogue(catalogueFile);
    let bytes: Buffer;
    let source: string;
    if (stored !== undefined) {
      // A message kept in Redis: CPR numbers masked unless --show-cpr, and that is audited.
      // Loaded only here (BullMQ): `cprh inspect FILE` stays light. require: the tsx bin hooks CJS only.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { readStoredMessage } = require('../stored-message') as typeof import('../stored-message.js');
      ({ bytes, source } = await readStoredMessage(stored.where, stored.id));
    } else {
      try {
        bytes =
          target === '-'
            ? await readStdinCapped(maxBytes + 1)
            : await readCapped(target ?? '-', maxBytes + 1);
      } catch (err) {
        throw fileProblem(target === '-' ? 'stdin' : (target ?? '-'), err);
      }
      source = eventSources.file(target === '-' ? '-' : basename(target ?? '-'));
    }
    const event = beskedToCloudEvent(
      bytes,
      catalogue === undefined ? { source, maxBytes } : { source, maxBytes, catalogue },
    );
    const json = JSON.stringify(event);
    if (stored !== undefined && showCpr) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createAuditLog, osUser } = require('@cprh/pipeline') as typeof import('@cprh/pipeline');
      createAuditLog(config.log.auditFile).record({
        who: osUser(config.log.sudoUser),
        action: `inspect.${stored.where}.show-cpr`,
        ...auditTenant(),
        beskedIds: [peekBeskedId(bytes) ?? stored.id],
        [stored.where === 'dead' ? 'deadLetter' : 'job']: stored.id,
      });
    }
    process.stdout.write(`${stored !== undefined && !showCpr ? maskCprNumbers(json) : json}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`cprh inspect: ${oneLine(err)}\n`);
    return 2;
  }
};
