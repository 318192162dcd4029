import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { UsageError } from '../command';
import { connectRedis } from '../redis-connect';
import { tenantConfig } from '../tenant-scope';
import { partitionPipelines } from '@cprh/pipeline';
import { surveyRetention } from '../retention/retention-survey';
import { mergeSurveys } from '../retention/survey-merge';
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
  const config = tenantConfig(['redis', 'pipeline', 'poller']);
  const redis = await connectRedis(config.redis, 'cprh-retention');
  try {
    let survey = config.pipeline.partitions > 1 ? undefined : await surveyRetention(redis, config);
    if (survey === undefined) {
      // Each partition is surveyed under its own prefix, the unpartitioned prefix without streams
      // (the plain names hold nothing; partition streams that share its prefix are not "other").
      const parts = partitionPipelines(config.pipeline);
      const base = await surveyRetention(redis, {
        ...config,
        pipeline: {
          ...config.pipeline,
          retainedStreams: parts.flatMap((p) => p.pipeline.retainedStreams),
        },
      });
      const surveys = [{ ...base, rows: base.rows.filter((r) => r.stream === undefined) }];
      for (const part of parts) {
        surveys.push(await surveyRetention(redis, { ...config, pipeline: part.pipeline }));
      }
      survey = mergeSurveys(surveys);
    }
    const text = json ? JSON.stringify(survey, null, 2) : retentionTable(survey).join('\n');
    process.stdout.write(`${text}\n`);
    return 0;
  } finally {
    redis.disconnect();
  }
};
