import { loadConfig } from '../src';

describe('redis settings', () => {
  it('is a single Redis without WAIT by default', () => {
    const r = loadConfig(['redis'], {}).redis;
    expect(r).toEqual({
      url: 'redis://127.0.0.1:6379',
      clusterNodes: [],
      minReplicasAck: 0,
      waitTimeoutMs: 2000,
    });
  });

  it('takes cluster seed nodes, and then waits for one replica by default', () => {
    const r = loadConfig(['redis'], { REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-b:7001,[::1]:7002' }).redis;
    expect(r.clusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(r.minReplicasAck).toBe(1);
    expect(
      loadConfig(['redis'], { REDIS_CLUSTER_NODES: 'a:1', REDIS_MIN_REPLICAS_ACK: '0' }).redis.minReplicasAck,
    ).toBe(0);
    expect(loadConfig(['redis'], { REDIS_MIN_REPLICAS_ACK: '2' }).redis.minReplicasAck).toBe(2);
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: 'a' }, /^Invalid setting REDIS_CLUSTER_NODES: expected host:port, got "a"/],
    [{ REDIS_CLUSTER_NODES: 'a:70000' }, /^Invalid setting REDIS_CLUSTER_NODES: /],
    [{ REDIS_MIN_REPLICAS_ACK: '-1' }, /^Invalid setting REDIS_MIN_REPLICAS_ACK: /],
    [{ REDIS_WAIT_TIMEOUT_MS: '0' }, /^Invalid setting REDIS_WAIT_TIMEOUT_MS: /],
    [{ REDIS_WAIT_TIMEOUT_MS: '9000' }, /^Invalid setting REDIS_WAIT_TIMEOUT_MS: /],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(['redis'], env)).toThrow(message);
  });
});
