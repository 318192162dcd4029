import { loadConfig } from '@cprh/config';
import {
  checkClusterKeyLayout,
  keySlot,
  partitionOf,
  partitionPipeline,
  partitionPipelines,
  partitionStreams,
  personOrderKeys,
} from '../src';

const pipelineOf = (env: Record<string, string>) => loadConfig(['pipeline'], env).pipeline;

describe('partition layout', () => {
  it('PARTITIONS=1 (the default) keeps every name as it is', () => {
    const p = pipelineOf({ ROUTES: 'foedsel=cpr:events:foedsel' });
    expect(p.partitions).toBe(1);
    expect(partitionPipeline(p, 0)).toBe(p);
    expect(partitionStreams(p, 'cpr:events')).toEqual(['cpr:events']);
    expect(partitionOf('c-abc', 1)).toBe(0);
  });

  it('PARTITIONS=3: each partition under one hash tag, its keys and streams in one slot', () => {
    const p = pipelineOf({ PARTITIONS: '3', ROUTES: 'foedsel=cpr:events:foedsel' });
    const parts = partitionPipelines(p);
    expect(parts.map((x) => x.pipeline.queuePrefix)).toEqual(['{cprh:p0}', '{cprh:p1}', '{cprh:p2}']);
    expect(parts[1]!.pipeline.eventsStream).toBe('cpr:events:{cprh:p1}');
    expect(parts[1]!.pipeline.routes[0]!.stream).toBe('cpr:events:foedsel:{cprh:p1}');
    expect(parts[1]!.pipeline.seqKey).toBe('{cprh:p1}:inbox:seq');
    for (const { pipeline: q } of parts) {
      const slot = keySlot(q.queuePrefix);
      const keys = [
        q.seqKey,
        `${q.queuePrefix}:${q.inboxQueue}:wait`,
        `${q.queuePrefix}:${q.deadQueue}:wait`,
        `${q.dispatchedKeyPrefix}some-event`,
        personOrderKeys(q.orderKeyPrefix, 'c-abc').pending,
        q.eventsStream,
        ...q.routes.map((r) => r.stream),
        ...q.retainedStreams.map((r) => r.stream),
      ];
      for (const k of keys) expect([k, keySlot(k)]).toEqual([k, slot]);
    }
    // On a cluster every partition is checked; the prefix keeps a tag for what is not partitioned
    // (poll-mode scheduler), while the stream names need none.
    expect(() => checkClusterKeyLayout(p)).toThrow(/QUEUE_PREFIX needs a hash tag/);
    expect(() =>
      checkClusterKeyLayout(pipelineOf({ PARTITIONS: '3', QUEUE_PREFIX: '{cprh}' })),
    ).not.toThrow();
    // A tagged prefix gives the same tags ({cprh} and cprh are one deployment's names).
    expect(partitionPipeline(pipelineOf({ PARTITIONS: '3', QUEUE_PREFIX: '{cprh}' }), 2).queuePrefix).toBe(
      '{cprh:p2}',
    );
  });

  it("a tenant's keys and streams carry the tenant's tag, split per partition, never another tenant's", () => {
    const env = { ROUTES: 'foedsel=cpr:events:foedsel', ROUTES_MAX_AGE_SECONDS: 'cpr:events:foedsel=60' };
    const one = pipelineOf({ ...env, TENANT_ID: 'aarhus' });
    expect(one.tenant).toBe('aarhus');
    expect(one.queuePrefix).toBe('{cprh:aarhus}');
    expect(one.eventsStream).toBe('cpr:events:{cprh:aarhus}');
    expect(one.routes[0]!.stream).toBe('cpr:events:foedsel:{cprh:aarhus}');
    expect(one.retainedStreams).toContainEqual({
      stream: 'cpr:events:foedsel:{cprh:aarhus}',
      maxAgeSeconds: 60,
    });
    const slot = keySlot(one.queuePrefix);
    for (const k of [
      one.seqKey,
      `${one.dispatchedKeyPrefix}e`,
      one.eventsStream,
      ...one.retainedStreams.map((r) => r.stream),
    ]) {
      expect([k, keySlot(k)]).toEqual([k, slot]);
    }
    expect(() => checkClusterKeyLayout(one)).not.toThrow();

    const parts = partitionPipelines(pipelineOf({ ...env, TENANT_ID: 'aarhus', PARTITIONS: '2' }));
    expect(parts.map((x) => x.pipeline.queuePrefix)).toEqual(['{cprh:aarhus:p0}', '{cprh:aarhus:p1}']);
    expect(parts[1]!.pipeline.eventsStream).toBe('cpr:events:{cprh:aarhus:p1}');
    expect(parts[1]!.pipeline.routes[0]!.stream).toBe('cpr:events:foedsel:{cprh:aarhus:p1}');
    for (const { pipeline: q } of parts) {
      const s = keySlot(q.queuePrefix);
      for (const k of [q.seqKey, q.eventsStream, ...q.retainedStreams.map((r) => r.stream)]) {
        expect([k, keySlot(k)]).toEqual([k, s]);
      }
    }
    // Another tenant of the same deployment shares no name with this one.
    const other = pipelineOf({ ...env, TENANT_ID: 'odense', PARTITIONS: '2' });
    const names = (p: typeof other): string[] =>
      partitionPipelines(p).flatMap(({ pipeline: q }) => [
        q.queuePrefix,
        q.eventsStream,
        ...q.routes.map((r) => r.stream),
      ]);
    const mine = new Set(
      parts.flatMap(({ pipeline: q }) => [q.queuePrefix, q.eventsStream, ...q.routes.map((r) => r.stream)]),
    );
    for (const n of names(other)) expect(mine.has(n)).toBe(false);
  });

  it('a person always maps to the same partition, and persons spread over all of them', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[partitionOf(`c-${i.toString(16).padStart(32, '0')}`, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
    expect(partitionOf('c-0123', 7)).toBe(partitionOf('c-0123', 7));
  });
});
