import { takeTenantOption } from '../src/tenant-scope';
import { isTenantKey, tenantTag } from '../src/tenants/tenant-keys';

describe('--tenant on the command line', () => {
  it('is taken wherever it stands before --, in either form', () => {
    expect(takeTenantOption(['--tenant', 'aarhus', 'dlq', 'list'])).toEqual({
      tenant: 'aarhus',
      rest: ['dlq', 'list'],
    });
    expect(takeTenantOption(['dlq', 'list', '--tenant=odense'])).toEqual({
      tenant: 'odense',
      rest: ['dlq', 'list'],
    });
    expect(takeTenantOption(['events', 'tail', '--tenant', 'x', '--json'])).toEqual({
      tenant: 'x',
      rest: ['events', 'tail', '--json'],
    });
    expect(takeTenantOption(['dlq', 'list'])).toEqual({ tenant: undefined, rest: ['dlq', 'list'] });
    // After `--` it is an argument of the command.
    expect(takeTenantOption(['inspect', '--', '--tenant'])).toEqual({
      tenant: undefined,
      rest: ['inspect', '--', '--tenant'],
    });
  });

  it('needs a value, and one only', () => {
    expect(takeTenantOption(['dlq', 'list', '--tenant'])).toEqual({ problem: '--tenant needs an ID' });
    expect(takeTenantOption(['--tenant', '--json', 'dlq'])).toEqual({ problem: '--tenant needs an ID' });
    expect(takeTenantOption(['--tenant=', 'dlq'])).toEqual({ problem: '--tenant needs an ID' });
    expect(takeTenantOption(['--tenant', 'a', 'dlq', '--tenant', 'b'])).toEqual({
      problem: '--tenant given twice',
    });
  });
});

describe("a tenant's keys", () => {
  const tag = tenantTag('{cprh}', 'aarhus');

  it("are those whose hash tag is the tenant's or one of its partitions'", () => {
    expect(tag).toBe('cprh:aarhus');
    for (const key of [
      '{cprh:aarhus}:inbox:wait',
      '{cprh:aarhus}:webhooks:{sag}:queue',
      'cpr:events:{cprh:aarhus}',
      'cpr:events:{cprh:aarhus}:partitions',
      '{cprh:aarhus:p0}:dead:x',
      'cpr:events:foedsel:{cprh:aarhus:p12}',
    ]) {
      expect([key, isTenantKey(key, tag)]).toEqual([key, true]);
    }
  });

  it("are never another tenant's, nor the single deployment's", () => {
    for (const key of [
      '{cprh:aarhus-nord}:inbox:wait',
      '{cprh:aarhusx}:inbox:wait',
      '{cprh:aarhus:px}:inbox',
      '{cprh:aarhus:p}:inbox',
      'cprh:aarhus:inbox',
      'cprh:inbox:wait',
      '{cprh}:inbox:wait',
      '{cprh:odense}:x:{cprh:aarhus}',
      'cpr:events',
    ]) {
      expect([key, isTenantKey(key, tag)]).toEqual([key, false]);
    }
  });
});
