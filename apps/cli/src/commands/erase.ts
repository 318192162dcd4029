import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeCprProblems, parseCprNumberFile } from '@cprh/besked';
import { createAuditLog, erasePerson, osUser, partitionPipelines, type ErasedFamily } from '@cprh/pipeline';
import { eraseWebhookState } from '@cprh/webhooks';
import type { Command } from '../command';
import { UsageError } from '../command';
import { connectRedis } from '../redis-connect';
import { auditTenant, tenantConfig } from '../tenant-scope';

const USAGE = 'usage: cprh erase --cpr-file FILE [--dry-run]';

/**
 * `cprh erase --cpr-file FILE`: removes every message about the person(s) in FILE (one CPR
 * number a line; a file, so the number is in neither the shell history nor `ps`) from the event
 * streams, the dead letters, the inbox jobs that still hold bytes, the person's order keys and
 * each webhook endpoint's queue and dead letters for the person. Prints per key family what
 * it removed: counts and BeskedIds, never a CPR number; writes one audit line.
 */
export const erase: Command = async (argv) => {
  let file: string | undefined;
  let dryRun: boolean;
  try {
    const parsed = parseArgs({
      args: argv,
      options: { 'cpr-file': { type: 'string' }, 'dry-run': { type: 'boolean' } },
    });
    file = parsed.values['cpr-file'];
    dryRun = parsed.values['dry-run'] === true;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (file === undefined) throw new UsageError(`--cpr-file is required\n${USAGE}`);
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  const list = parseCprNumberFile(text);
  if (list.problems.length > 0) {
    throw new UsageError(
      [...describeCprProblems(list.problems, `${file} line`), 'nothing erased'].join('\n'),
    );
  }
  if (list.numbers.length === 0) throw new UsageError(`${file} holds no CPR numbers`);

  const config = tenantConfig(['redis', 'pipeline', 'log']);
  const redis = await connectRedis(config.redis, 'cprh-erase');
  try {
    // Every partition (PARTITIONS > 1): a message can name the person without being in their partition.
    const parts = partitionPipelines(config.pipeline);
    const families: ErasedFamily[] = [];
    for (const part of parts) {
      for (const f of await erasePerson(redis, part.pipeline, new Set(list.numbers), dryRun)) {
        families.push(
          parts.length === 1 || f.family.startsWith('stream ')
            ? f
            : { ...f, family: `${f.family} (partition ${part.partition})` },
        );
      }
    }
    families.push(
      ...(await eraseWebhookState(redis, config.pipeline.queuePrefix, new Set(list.numbers), dryRun)),
    );
    const verb = dryRun ? 'would remove' : 'removed';
    const out = (s: string): boolean => process.stdout.write(`${s}\n`);
    out(
      `${list.numbers.length} CPR number${list.numbers.length === 1 ? '' : 's'} from ${file}${dryRun ? ' (dry run: nothing removed)' : ''}`,
    );
    for (const f of families) {
      out(
        `${f.family}: ${verb} ${f.removed.length}${f.beskedIds.length > 0 ? `  BeskedIds: ${f.beskedIds.join(' ')}` : ''}`,
      );
      if ((f.busy?.length ?? 0) > 0)
        out(`${f.family}: ${f.busy?.length} held by a worker right now, not removed: run again`);
    }
    out('kept: dispatch markers and finished inbox jobs (BeskedIds and metadata only, no CPR numbers)');
    const beskedIds = [...new Set(families.flatMap((f) => f.beskedIds))];
    createAuditLog(config.log.auditFile).record({
      who: osUser(config.log.sudoUser),
      action: dryRun ? 'erase.dry-run' : 'erase',
      ...auditTenant(),
      beskedIds,
      persons: list.numbers.length,
      removed: Object.fromEntries(families.map((f) => [f.family, f.removed.length])),
    });
    return families.some((f) => (f.busy?.length ?? 0) > 0) ? 1 : 0;
  } finally {
    redis.disconnect();
  }
};
