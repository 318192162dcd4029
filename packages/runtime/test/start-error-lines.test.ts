import { ConfigError, TenantsFileError } from '@cprh/config';
import { startErrorLines } from '../src';

describe('startErrorLines', () => {
  it('prints one line per TENANTS_FILE mistake, and one line for any other error', () => {
    const err = new TenantsFileError('/etc/cprh/tenants.yaml', [
      'tenants[0] (aarhus).cvr: expected an 8-digit CVR number',
      'tenants[1] (odense): unknown field(s) colour',
    ]);
    expect(startErrorLines('poller', err)).toBe(
      'poller: CONFIG_INVALID: Invalid setting TENANTS_FILE: /etc/cprh/tenants.yaml: tenants[0] (aarhus).cvr: expected an 8-digit CVR number\n' +
        'poller: CONFIG_INVALID: Invalid setting TENANTS_FILE: /etc/cprh/tenants.yaml: tenants[1] (odense): unknown field(s) colour\n',
    );
    expect(startErrorLines('worker', new ConfigError('PARTITIONS', 'must be <= 1024'))).toBe(
      'worker: CONFIG_INVALID: Invalid setting PARTITIONS: must be <= 1024\n',
    );
  });
});
