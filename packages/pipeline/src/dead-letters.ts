import { randomBytes } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { PipelineError } from './pipeline-error';
import { INBOX_JOB_NAME, type DeadLetterData, type InboxJobData } from './job-types';
import { DEAD_LETTER_STATES } from './queues';
import { inboxFields } from './record-dead-letter';

/**
 * The dead-letter queue as operators use it (`cprh dlq`): messages that cannot be delivered, with
 * their exact bytes and the reason, kept until replayed or purged. Recording is recordDeadLetter.
 */
export class DeadLetters {
  constructor(
    private readonly dead: Queue<DeadLetterData>,
    private readonly inbox: Queue<InboxJobData>,
  ) {}

  /** Dead letters, oldest first. */
  async list(): Promise<Job<DeadLetterData>[]> {
    const jobs = await this.dead.getJobs([...DEAD_LETTER_STATES], 0, -1, true);
    return jobs.sort((a, b) => a.timestamp - b.timestamp);
  }

  async count(): Promise<number> {
    return this.dead.getJobCountByTypes(...DEAD_LETTER_STATES);
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

  /** Id and recording time (epoch ms) of every dead letter, without loading their bytes. */
  async ages(): Promise<{ id: string; recordedAt: number }[]> {
    const ids = await this.dead.getRanges([...DEAD_LETTER_STATES], 0, -1, true);
    if (ids.length === 0) return [];
    const connection = this.dead.opts.connection;
    if (!(connection instanceof Redis)) {
      // Not our own connection (never so in the product): load the jobs.
      const jobs = await Promise.all(ids.map((id) => this.dead.getJob(id)));
      return ids.map((id, i) => ({ id, recordedAt: jobs[i]?.timestamp ?? 0 }));
    }
    const pipe = connection.pipeline();
    for (const id of ids) pipe.hget(this.dead.toKey(id), 'timestamp');
    const replies = (await pipe.exec()) ?? [];
    return ids.map((id, i) => ({ id, recordedAt: Number(replies[i]?.[1] ?? 0) }));
  }

  /** Deletes the dead letters recorded before `before` (epoch ms); returns their ids. */
  async purgeRecordedBefore(before: number): Promise<string[]> {
    const old = (await this.ages()).filter((a) => a.recordedAt < before).map((a) => a.id);
    for (const id of old) await this.dead.remove(id);
    return old;
  }

  /**
   * Deletes every dead letter, and the failed inbox job each one left (it holds the BeskedId's job
   * id, so without this the same message sent again would be dropped as a repeat); returns how many
   * dead letters there were. Afterwards a copy of a purged message is processed anew.
   */
  async purge(): Promise<number> {
    const letters = await this.list();
    for (const letter of letters) {
      const inboxJob = await this.inbox.getJob(letter.data.inboxJobId);
      // Only a failed one: a job still waiting or running is not this dead letter's leftover.
      if (inboxJob !== undefined && (await inboxJob.isFailed())) await inboxJob.remove();
      // One by one: a dead letter recorded meanwhile stays, with its inbox job.
      await letter.remove();
    }
    return letters.length;
  }
}
