export { uniqueName } from './unique-name';
export { waitFor, sleep, WaitTimeoutError } from './wait-for';
export { freePort } from './free-port';
export { startRedisServer, type OwnRedisServer } from './redis-server';
export { spawnTs, type SpawnedProcess } from './spawned-process';
export { deleteKeysWithPrefix } from './redis-cleanup';
export { withAmqpChannel, queueDepth, deleteAmqpQueue, TEST_AMQP_URL } from './amqp-helpers';
export { fixturePath, readFixture, repoRoot } from './fixtures';
export { pipelineTestEnv, TEST_REDIS_URL, type PipelineTestEnv } from './pipeline-test-env';
