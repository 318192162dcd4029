export { uniqueName } from './unique-name';
export { waitFor, sleep, WaitTimeoutError } from './wait-for';
export { freePort } from './free-port';
export { startRedisServer, type OwnRedisServer } from './redis-server';
export { spawnTs, type SpawnedProcess } from './spawned-process';
export { deleteKeysAt, deleteKeysWithPrefix } from './redis-cleanup';
export {
  withAmqpChannel,
  queueDepth,
  deleteAmqpQueue,
  deleteAmqpQueues,
  TEST_AMQP_URL,
} from './amqp-helpers';
export { appMain, fixturePath, readFixture, repoRoot } from './fixtures';
export { pipelineTestEnv, clusterTestEnv, TEST_REDIS_URL, type PipelineTestEnv } from './pipeline-test-env';
export { rabbitmqctl, amqpConnectionPid, closeAmqpConnection, brokerMessageCount } from './rabbitmqctl';
export { makeDevPki, type DevPki } from './dev-pki';
export { DEV_PKI_FILE_NAMES, devPkiFilesIn, type DevPkiFile, type DevPkiFiles } from './dev-pki-layout';
export { makeTestPki, type PemBundle } from './test-pki';
export { drainQueues, drainQueue, type QueuedMessage } from './amqp-drain';
export { startPushReceiver, PUSH_OK, type PushReceiver, type ReceivedPush } from './push-receiver';
export { simTestEnv, type SimTestEnv } from './sim-test-env';
export { bodyDocument, validateAgainstXsd, WSDL_DIR } from './xsd-validate';
export { startRedisCluster, type OwnRedisCluster } from './redis-cluster';
export { dumpKeys, type KeyDump } from './redis-key-dump';
export { CPR_SHAPED } from './cpr-shaped';
export { runMain, type MainRun } from './run-main';
export { runCli, type CliRun } from './run-cli';
export { cprNumbers } from './cpr-numbers';
export { bundleApp, type AppBundle } from './app-bundle';
