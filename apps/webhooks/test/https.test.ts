import { readFileSync } from 'node:fs';
import { makeDevPki, waitFor, type DevPki } from '@cprh/testkit';
import { DeliveryStore } from '../src';
import {
  newSecret,
  personEvent,
  startTestServer,
  webhookTestEnv,
  type TestServer,
  type WebhookTestEnv,
} from './support/webhook-harness';

let env: WebhookTestEnv;
let server: TestServer;
let pki: DevPki;

beforeAll(() => {
  pki = makeDevPki();
});
afterAll(() => pki.remove());

beforeEach(async () => {
  env = await webhookTestEnv();
});

afterEach(async () => {
  await env.cleanup();
  await server.close();
});

describe('https endpoints', () => {
  it('trusts the endpoint CA from caFile and presents the client certificate from clientCertP12File', async () => {
    const read = (n: string): string => readFileSync(pki.path(n), 'utf8');
    server = await startTestServer({ cert: read('server.crt'), key: read('server.key'), ca: read('ca.crt') });
    const p12 = pki.makeP12('webhooks.p12', 'pw');
    env.writeEndpoints([
      {
        id: 'mtls',
        url: server.url,
        secret: newSecret(),
        caFile: pki.path('ca.crt'),
        clientCertP12File: p12,
        clientCertP12Password: 'pw',
        backoffMs: 20,
      },
    ]);
    await env.start();
    await env.add(personEvent('0101801234'));
    await waitFor('delivered over mutual TLS', () => server.delivered().length === 1);
  });

  it('without the CA the server is not trusted: attempts fail and nothing is delivered', async () => {
    const read = (n: string): string => readFileSync(pki.path(n), 'utf8');
    server = await startTestServer({ cert: read('server.crt'), key: read('server.key') });
    env.writeEndpoints([
      { id: 'untrusted', url: server.url, secret: newSecret(), backoffMs: 20, attempts: 2 },
    ]);
    await env.start();
    const e = personEvent('0101801234');
    await env.add(e);
    const store = new DeliveryStore(env.redis, env.prefix, 'untrusted');
    const [dead] = await waitFor('dead letter', async () => {
      const d = await store.deadLetters();
      return d.length > 0 ? d : undefined;
    });
    expect(dead?.lastStatus).toBeNull();
    expect(dead?.lastError).toMatch(/CERT|SELF_SIGNED|UNABLE_TO/);
    expect(server.hits).toHaveLength(0);
  });
});
