import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';
import ts from 'typescript';
import { Webhook } from 'standardwebhooks';
import { waitFor } from '@cprh/testkit';
import { buildRequest, signOne, verifySignature } from '../src';
import { newSecret, personEvent, startTestServer, webhookTestEnv } from './support/webhook-harness';

/** The scheme written out again from the spec's words, sharing no code with src/. */
function independentVerify(secret: string, id: string, ts: string, body: string, header: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return header.split(' ').some((part) => {
    const [version, sig] = part.split(',');
    const got = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

describe('Standard Webhooks signature', () => {
  it("reproduces the specification's test vector", () => {
    // Published with the Standard Webhooks reference implementations.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signOne(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
    expect(
      verifySignature(
        [secret],
        {
          id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
          timestamp: '1614265330',
          signature: 'v1,bm9wZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
        },
        '{"test": 2432232314}',
        1614265330,
      ),
    ).toBeNull();
  });

  it('is what an independent implementation and the reference library accept; a changed body is refused', () => {
    const secret = newSecret();
    const event = personEvent('0101801234');
    const ts = Math.floor(Date.now() / 1000);
    const req = buildRequest(JSON.stringify(event), 'structured', [secret], ts);
    const h = req.headers;
    expect(
      independentVerify(secret, String(event.id), String(ts), req.body, h['webhook-signature'] ?? ''),
    ).toBe(true);
    expect(new Webhook(secret).verify(req.body, h)).toEqual(event);
    expect(() => new Webhook(secret).verify(req.body.replace('0101801234', '0101801235'), h)).toThrow();
    expect(
      independentVerify(newSecret(), String(event.id), String(ts), req.body, h['webhook-signature'] ?? ''),
    ).toBe(false);
    expect(
      verifySignature(
        [secret],
        { id: h['webhook-id'], timestamp: String(ts - 3600), signature: h['webhook-signature'] },
        req.body,
      ),
    ).toMatch(/too old/);
  });

  it('signs with both secrets during a rotation, so receivers holding either one accept', async () => {
    const env = await webhookTestEnv();
    const server = await startTestServer();
    try {
      const [newer, older] = [newSecret(), newSecret()];
      env.writeEndpoints([{ id: 'rot', url: server.url, secrets: [newer, older], backoffMs: 20 }]);
      await env.start();
      const e = personEvent('0101801234');
      await env.add(e);
      await waitFor('delivered', () => server.delivered().length === 1);
      const hit = server.hits[0];
      const header = String(hit?.headers['webhook-signature']);
      expect(header.split(' ')).toHaveLength(2);
      for (const s of [newer, older]) {
        expect(new Webhook(s).verify(hit?.body ?? '', hit?.headers as Record<string, string>)).toEqual(e);
      }
      expect(() =>
        new Webhook(newSecret()).verify(hit?.body ?? '', hit?.headers as Record<string, string>),
      ).toThrow();
    } finally {
      await env.cleanup();
      await server.close();
    }
  });

  it("the README's ten-line verification example accepts our requests and refuses changed ones", () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const code = /```ts\n(import \{ createHmac[\s\S]*?export function verifyWebhook[\s\S]*?)```/.exec(
      readme,
    )?.[1];
    expect(code).toBeDefined();
    const js = ts.transpileModule(code ?? '', {
      compilerOptions: { module: ts.ModuleKind.CommonJS },
    }).outputText;
    const mod = { exports: {} as Record<string, unknown> };
    compileFunction(js, ['require', 'module', 'exports'])(require, mod, mod.exports);
    const verifyWebhook = mod.exports.verifyWebhook as (s: string, h: Headers, b: string) => boolean;
    const secret = newSecret();
    const event = personEvent('0101801234');
    const req = buildRequest(
      JSON.stringify(event),
      'structured',
      [newSecret(), secret],
      Math.floor(Date.now() / 1000),
    );
    expect(verifyWebhook(secret, new Headers(req.headers), req.body)).toBe(true);
    expect(verifyWebhook(secret, new Headers(req.headers), req.body + ' ')).toBe(false);
    expect(verifyWebhook(newSecret(), new Headers(req.headers), req.body)).toBe(false);
  });
});
