import { randomBytes } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import { encodeBody, inboxBytes } from './inbox-body';
import { PipelineError } from './pipeline-error';
import { metrics } from './process-metrics';
import { DEAD_JOB_NAME, INBOX_JOB_NAME, type DeadLetterData, type InboxJobData } from './job-types';

export interface Failure {
  code: string;
  message: string;
  attempts: number;
  firstFailedAt: number;
  lastFailedAt: number;
}

/** States a dead letter can be in: the dead queue has no worker, so jobs stay waiting. */
const DEAD_STATES = ['waiting', 'delayed', 'prioritized'] as const;

/**
 * The dead-letter queue: messages that cannot be delivered, with their exact bytes and the reason,
 * kept until an operator replays or purges them.
 */
export class DeadLetters {
  constructor(
    private readonly dead: Queue<DeadLetterData>,
    private readonly inbox: Queue<InboxJobData>,
  ) {}

  /**
   * Records a failed inbox job. The dead job's id is the inbox job's id, so recording the same
   * failure twice (a worker died after recording, the job ran again) keeps one dead letter.
   */
  async add(inboxJobId: string, data: InboxJobData, failure: Failure): Promise<void> {
    const letter: DeadLetterData = {
      ...inboxFields(data),
      ...failure,
      inboxJobId,
      originalJobId: data.replayOf ?? inboxJobId,
    };
    await this.dead.add(DEAD_JOB_NAME, letter, { jobId: inboxJobId });
    metrics.deadLetters.inc({ code: failure.code });
  }

  /** Dead letters, oldest first. */
  async list(): Promise<Job<DeadLetterData>[]> {
    const jobs = await this.dead.getJobs([...DEAD_STATES], 0, -1, true);
    return jobs.sort((a, b) => a.timestamp - b.timestamp);
  }

  async count(): Promise<number> {
    return this.dead.getJobCountByTypes(...DEAD_STATES);
  }

  async get(id: string): Promise<Job<DeadLetterData>> {
    const job = await this.dead.getJob(id);
    if (!job) throw new PipelineError('PIPELINE_DEAD_LETTER_NOT_FOUND', `no dead letter with id ${id}`);
    return job;
  }

  /**
   * Replays a dead letter by re-enqueueing its raw message into the inbox under a NEW job id (the
   * failed inbox job still holds the old one). It then runs through the worker's single code path,
   * including the exactly-once Lua dispatch, with the worker's current configuration: if the event
   * had reached the stream after all, nothing is written twice. The dead letter is removed only
   * after the inbox accepted the job; a crash in between leaves it to be replayed again, harmlessly.
   */
  async replay(id: string): Promise<string> {
    const job = await this.get(id);
    const d = job.data;
    const jobId = `${d.originalJobId}-r${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
    const data: InboxJobData = { ...inboxFields(d), replayOf: d.originalJobId };
    await this.inbox.add(INBOX_JOB_NAME, data, { jobId });
    await this.dead.remove(id);
    return jobId;
  }

  async replayAll(): Promise<string[]> {
    const out: string[] = [];
    for (const job of await this.list()) {
      if (job.id !== undefined) out.push(await this.replay(job.id));
    }
    return out;
  }

  /** Deletes every dead letter; returns how many there were. */
  async purge(): Promise<number> {
    const n = await this.count();
    await this.dead.obliterate({ force: true });
    return n;
  }
}

/** The inbox fields of a job (exact bytes, source, channel, seq), without anything a job added. */
function inboxFields(d: InboxJobData): InboxJobData {
  const bytes = inboxBytes(d);
  const out: InboxJobData = {
    body: bytes === undefined ? '' : encodeBody(bytes),
    source: d.source,
    receivedAt: d.receivedAt,
    channel: d.channel,
    seq: d.seq,
  };
  if (d.replayOf !== undefined) out.replayOf = d.replayOf;
  return out;
}
