import { loadConfig, KOMBIT_PRESETS } from '../src';

describe('KOMBIT connection settings (amqp section) and the function certificate (clientCert)', () => {
  it('KOMBIT_ENV=local (default) keeps the plain local RabbitMQ', () => {
    const a = loadConfig(['amqp', 'clientCert'], {}).amqp;
    expect(a).toMatchObject({
      kombitEnv: 'local',
      url: 'amqp://guest:guest@127.0.0.1:5672',
      auth: 'plain',
      authChosen: false,
    });
    expect(a.sts).toEqual({
      url: 'https://127.0.0.1:8443/runtime/api/rest/wstrust/v1/issue',
      cvr: undefined,
      appliesTo: 'http://entityid.kombit.dk/service/bfo_modtag/2',
      refreshMarginSeconds: 30,
    });
  });

  it('exttest and prod presets set the broker and STS hosts and sts auth', () => {
    const t = loadConfig(['amqp', 'clientCert'], { KOMBIT_ENV: 'exttest', STS_CVR: '12345678' }).amqp;
    expect(t.url).toBe('amqps://beskedfordeler.eksterntest-stoettesystemerne.dk:5671/BF');
    expect(t.auth).toBe('sts');
    expect(t.sts.url).toBe(
      'https://n2adgangsstyring.eksterntest.stoettesystemerne.dk/runtime/api/rest/wstrust/v1/issue',
    );
    const p = loadConfig(['amqp', 'clientCert'], { KOMBIT_ENV: 'prod', STS_CVR: '12345678' }).amqp;
    expect(p.url).toBe('amqps://beskedfordeler.stoettesystemerne.dk:5671/BF');
    expect(p.sts.url).toBe('https://n2adgangsstyring.stoettesystemerne.dk/runtime/api/rest/wstrust/v1/issue');
    expect(KOMBIT_PRESETS.exttest.beskedfordelerSoapUrl).toBe(
      'https://beskedfordeler.eksterntest-stoettesystemerne.dk/sts-bf-soap/StsbeskedfordelerImpl',
    );
  });

  it('every preset value is overridable', () => {
    const a = loadConfig(['amqp', 'clientCert'], {
      KOMBIT_ENV: 'exttest',
      AMQP_URL: 'amqps://broker.example:5671/BF',
      STS_URL: 'https://sts.example/issue',
      STS_CVR: '87654321',
      STS_APPLIES_TO: 'http://entityid.kombit.dk/service/afhent/1',
      STS_REFRESH_MARGIN_SECONDS: '5',
    }).amqp;
    expect(a).toMatchObject({ url: 'amqps://broker.example:5671/BF', auth: 'sts' });
    expect(a.sts).toEqual({
      url: 'https://sts.example/issue',
      cvr: '87654321',
      appliesTo: 'http://entityid.kombit.dk/service/afhent/1',
      refreshMarginSeconds: 5,
    });
    expect(loadConfig(['amqp', 'clientCert'], { KOMBIT_ENV: 'exttest', AMQP_AUTH: 'plain' }).amqp.auth).toBe(
      'plain',
    );
  });

  it.each([
    [{ KOMBIT_ENV: 'staging' }, /^Invalid setting KOMBIT_ENV: /],
    [{ AMQP_AUTH: 'oauth' }, /^Invalid setting AMQP_AUTH: /],
    [{ AMQP_AUTH: 'sts', STS_CVR: '12345678' }, /^Invalid setting AMQP_URL: AMQP_AUTH=sts needs an amqps/],
    [{ KOMBIT_ENV: 'exttest' }, /^Invalid setting STS_CVR: required when AMQP_AUTH=sts/],
    [{ STS_CVR: '1234' }, /^Invalid setting STS_CVR: /],
    [{ STS_URL: 'http://sts.example/issue' }, /^Invalid setting STS_URL: /],
    [{ STS_REFRESH_MARGIN_SECONDS: '0' }, /^Invalid setting STS_REFRESH_MARGIN_SECONDS: /],
    [{ CLIENT_CERT_FILE: 'c.pem' }, /^Invalid setting CLIENT_KEY_FILE: required/],
    [{ CLIENT_KEY_FILE: 'k.pem' }, /^Invalid setting CLIENT_CERT_FILE: required/],
    [
      { CLIENT_CERT_FILE: 'c.pem', CLIENT_KEY_FILE: 'k', CLIENT_CERT_P12_FILE: 'f.p12' },
      /^Invalid setting CLIENT_CERT_FILE: /,
    ],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(['amqp', 'clientCert'], env)).toThrow(message);
  });

  it('reads PKCS#12 or PEM certificate settings', () => {
    expect(loadConfig(['amqp', 'clientCert'], {}).clientCert).toEqual({
      source: undefined,
      caFile: undefined,
    });
    expect(
      loadConfig(['amqp', 'clientCert'], {
        CLIENT_CERT_P12_FILE: '/etc/cprh/f.p12',
        CLIENT_CERT_P12_PASSWORD: 'pw',
        CA_FILE: '/etc/ca.pem',
      }).clientCert.source,
    ).toEqual({ kind: 'p12', p12File: '/etc/cprh/f.p12', password: 'pw', caFile: '/etc/ca.pem' });
    expect(
      loadConfig(['amqp', 'clientCert'], {
        CLIENT_CERT_FILE: 'c.pem',
        CLIENT_KEY_FILE: 'k.pem',
        CLIENT_KEY_PASSPHRASE: 'pp',
      }).clientCert.source,
    ).toEqual({ kind: 'pem', certFile: 'c.pem', keyFile: 'k.pem', keyPassphrase: 'pp' });
  });
});
