import { parseArgs } from 'node:util';
import { loadConfig } from '@cprh/config';
import type { Command } from '../command';
import { UsageError } from '../command';
import { connectRedis } from '../redis-connect';
import { surveyRetention } from '../retention/retention-survey';
import { retentionTable } from '../retention/retention-table';

const USAGE = 'usage: cprh retention [--json]';

/**
 * `cprh retention`: the README's retention table for the running system: every key family under
 * QUEUE_PREFIX and every stream, with its keys, entries, size in Redis and oldest entry.
 * Counts and ids only, never content.
 */
export const retention: Command = async (argv) => {
  let json: boolean;
  try {
    const parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
    json = parsed.values.json === true;
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const config = loadConfig(['redis', 'pipeline', 'poller']);
  const redis = await connectRedis(config.redis, 'cprh-retention');
  try {
    const survey = await surveyRetention(redis, config);
    const text = json ? JSON.stringify(survey, null, 2) : retentionTable(survey).join('\n');
    process.stdout.write(`${text}\n`);
    return 0;
  } finally {
    redis.disconnect();
  }
};
