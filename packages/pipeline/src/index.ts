export { PIPELINE_ERROR_CODES, type PipelineErrorCode } from './error-codes';
export { PipelineError } from './pipeline-error';
export {
  INBOX_JOB_NAME,
  DEAD_JOB_NAME,
  type AmqpMeta,
  type PushMeta,
  type ChannelMeta,
  type InboxJobData,
  type InboxJobResult,
  type DeadLetterData,
} from './job-types';
export { inboxJobId, inboxIdOf, type InboxId } from './inbox-job-id';
export {
  createRedis,
  createProducerRedis,
  createWorkerRedis,
  isClusterTarget,
  redisLocation,
  redisSettingsOf,
  type RedisConnection,
  type RedisTarget,
} from './redis-connections';
export { personKey } from './person-key';
export { personOrderKeys, type PersonOrderKeys } from './order-keys';
export { OrderGate, orderTicket, type OrderTicket, type BlockingHead, type HeadState } from './order-gate';
export { RELEASE_LUA, HEAD_CHECK_LUA, WAKE_LUA } from './order-scripts';
export { INBOX_ADD_LUA } from './inbox-add-script';
export { keySlot, hashTag } from './key-slot';
export { checkClusterKeyLayout } from './cluster-key-layout';
export {
  partitionCount,
  partitionTag,
  partitionStream,
  partitionStreams,
  partitionPipeline,
  partitionPipelines,
  partitionOf,
  partitionsKey,
  streamDirectoryKey,
} from './partition-layout';
export { checkPartitions } from './partition-check';
export { PartitionedInboxWriter } from './partitioned-inbox-writer';
export { waitForReplicas, nodeForKey, type ReplicaAck } from './replica-wait';
export { checkRedis, type RedisCheckResult } from './check-redis';
export { redisUnreachable } from './redis-unreachable';
export { localIsoTime, withLocalTimes, TIME_FIELDS } from './local-iso-time';
export { createInboxQueue, createDeadQueue, JOB_STATES, DEAD_LETTER_STATES } from './queues';
export { InboxWriter, toInboxJobData, type ReceivedMessage } from './inbox-writer';
export { encodeBody, inboxBytes, inboxMessage } from './inbox-body';
export { DISPATCH_LUA } from './dispatch-script';
export { routeTargets, type RoutingKeys } from './route-targets';
export {
  EventDispatcher,
  MAX_DISPATCH_BATCH,
  isBlocked,
  type DispatchableEvent,
  type DispatchResult,
  type DispatchBlocked,
} from './event-dispatcher';
export { DeadLetters } from './dead-letters';
export { PartitionedDeadLetters } from './partitioned-dead-letters';
export {
  strippedJobData,
  isStripped,
  rerunOfStripped,
  type StrippedJobData,
  type StrippedOutcome,
} from './stripped-job';
export { JobStripper, STRIP_LUA, type StripItem } from './job-stripper';
export { FinishedJobSweep, HOLDS_BYTES_LUA } from './finished-job-sweep';
export { trimStreamByAge, type StreamTrimReport, type GroupReport } from './stream-age-trim';
export { startRetention, type RetentionTask, type RetentionOptions } from './retention-task';
export { recordDeadLetter, type Failure } from './record-dead-letter';
export { isDeadLetterCode, WORKER_DEAD_LETTER_CODES, type DeadLetterCode } from './dead-letter-codes';
export { logRedisErrors } from './redis-error-log';
// The one-line form of an error lives in @cprh/errors; re-exported for the services' callers.
export { oneLine } from '@cprh/errors';
export { checkInboxMoving, READ_INBOX_PROGRESS_LUA } from './inbox-stall-check';
export { eventSources } from '@cprh/besked';
export {
  createErrorQueueMoves,
  requestErrorQueueMove,
  recordErrorQueueState,
  type ErrorQueueMoveJob,
  type ErrorQueueRecord,
  type DeadLetterWithMove,
} from './error-queue-move-requests';
export { createAuditLog, osUser, type AuditLog, type AuditEntry } from './audit-log';
export { mentionsAny } from './message-mentions';
export { erasePerson, type ErasedFamily } from './person-erasure';
export { tenantLabel, queueTenant } from './tenant-label';
export {
  completionKeys,
  type CompletionRequest,
  type CompletionOutcome,
  type CompletionKeys,
  type CompletionSettings,
} from './job-completion';
