import { randomUUID } from 'node:crypto';
import { Chaos, NO_CHAOS } from '../src/chaos/chaos';
import { Distributor, type DistributorOptions } from '../src/subscriptions/distributor';
import { EventGenerator } from '../src/population/event-generator';
import { modtagBeskedOutput } from '@cprh/kombit';
import { isPushAccepted } from '../src/push/push-sender';
import { PUSH_OK as OK, makeTestPki, startPushReceiver, validateAgainstXsd } from '@cprh/testkit';

const ERROR =
  '<?xml version="1.0" encoding="UTF-8"?><ns4:ModtagBeskedOutput xmlns="urn:oio:sagdok:3.0.0" xmlns:ns4="urn:oio:sts:1.0.0"><StandardRetur><StatusKode>40</StatusKode><FejlbeskedTekst>nej</FejlbeskedTekst></StandardRetur></ns4:ModtagBeskedOutput>';

const attemptsOf = (xml: string) => Number(/<ns2:AntalLeveranceforsoeg>(\d+)</.exec(xml)?.[1]);

describe('push delivery (HTTPS, mutual TLS)', () => {
  const pki = makeTestPki();
  afterAll(() => pki.cleanup());

  /** A distributor pushing over mutual TLS with the test client certificate. */
  function pushDistributor(
    push: { maxAttempts: number; backoffMs: number },
    extra: Omit<DistributorOptions, 'lookup' | 'push'> = {},
  ): Distributor {
    return new Distributor({
      lookup: async () => new Set(),
      push: { ...push, tls: { ca: pki.certs.ca, cert: pki.certs.clientCert, key: pki.certs.clientKey } },
      ...extra,
    });
  }

  /** Adds a push subscription to `url` without a filter; returns its id. */
  function addPushSubscription(d: Distributor, url: string): string {
    const sub = {
      id: randomUUID(),
      navn: 'push',
      dueslag: randomUUID(),
      delivery: { mode: 'push' as const, url },
      filter: {},
    };
    d.add(sub);
    return sub.id;
  }

  it('retries a push that fails twice, counting AntalLeveranceforsoeg 1, 2, 3', async () => {
    // First a 500, then StatusKode 40, then success.
    const rx = await startPushReceiver(pki.certs, (n) =>
      n === 1
        ? { status: 500, body: 'boom' }
        : n === 2
          ? { status: 200, body: ERROR }
          : { status: 200, body: OK },
    );
    const results: { ok: boolean; attempts: number }[] = [];
    const d = pushDistributor(
      { maxAttempts: 5, backoffMs: 20 },
      { onPushResult: (_id, r) => results.push(r) },
    );
    try {
      const subId = addPushSubscription(d, rx.url);
      const [event] = new EventGenerator({ seed: 4, populationSize: 100, start: new Date() }).take(1);
      await d.dispatch([event!]);
      await d.settle(10_000);
      expect(rx.received.map((r) => attemptsOf(r.body))).toEqual([1, 2, 3]);
      expect(new Set(rx.received.map((r) => /<UUIDIdentifikator>([^<]+)</.exec(r.body)?.[1]))).toEqual(
        new Set([event!.beskedId]),
      );
      expect(rx.received[0]?.clientCertSubject).toBe('cprh dev (funktionscertifikat)');
      expect(results).toEqual([{ beskedId: event!.beskedId, ok: true, attempts: 3 }]);
      expect(d.stats(subId)).toMatchObject({ matched: 1, pushed: 1, pushFailed: 0 });
      // What was pushed is a valid ModtagBeskedInput.
      expect(await validateAgainstXsd('AnvendersystemOperationer.xsd', [rx.received[2]!.body])).toEqual([]);
    } finally {
      await d.close();
      await rx.close();
    }
  });

  it('gives up after maxAttempts', async () => {
    const rx = await startPushReceiver(pki.certs, () => ({ status: 503, body: '' }));
    const d = pushDistributor({ maxAttempts: 3, backoffMs: 5 });
    try {
      const subId = addPushSubscription(d, rx.url);
      await d.dispatch(new EventGenerator({ seed: 5, populationSize: 100, start: new Date() }).take(2));
      await d.settle(10_000);
      expect(rx.received.map((r) => attemptsOf(r.body))).toEqual([1, 2, 3, 1, 2, 3]);
      expect(d.stats(subId)).toMatchObject({ matched: 2, pushed: 0, pushFailed: 2 });
    } finally {
      await d.close();
      await rx.close();
    }
  });

  it('chaos: slow pushes wait, failing pushes are retried although the receiver said 20', async () => {
    const rx = await startPushReceiver(pki.certs, () => ({ status: 200, body: OK }));
    const d = pushDistributor(
      { maxAttempts: 2, backoffMs: 5 },
      { chaos: new Chaos({ ...NO_CHAOS, pushSlow: 1, pushFail: 1, slowMs: 300 }, 1) },
    );
    try {
      const subId = addPushSubscription(d, rx.url);
      const t0 = Date.now();
      await d.dispatch(new EventGenerator({ seed: 6, populationSize: 100, start: new Date() }).take(1));
      await d.settle(10_000);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
      expect(rx.received.map((r) => attemptsOf(r.body))).toEqual([1, 2]);
      expect(d.stats(subId)).toMatchObject({ pushed: 0, pushFailed: 1 });
    } finally {
      await d.close();
      await rx.close();
    }
  });

  it('accepts only HTTP 200 with StatusKode 20', () => {
    expect(isPushAccepted(200, OK)).toBe(true);
    expect(isPushAccepted(200, ERROR)).toBe(false);
    expect(isPushAccepted(500, OK)).toBe(false);
    expect(isPushAccepted(200, '<broken')).toBe(false);
  });

  it('accepts only the answer KOMBIT accepts: ModtagBeskedOutput in urn:oio:sts:1.0.0, StandardRetur in urn:oio:sagdok:3.0.0', () => {
    const answer = (
      root: string,
      rootNs: string,
      retur: string,
      sdNs: string,
      inner = '<sd:StatusKode>20</sd:StatusKode>',
    ) =>
      `<?xml version="1.0"?><s:${root} xmlns:s="${rootNs}" xmlns:sd="${sdNs}"><sd:${retur}>${inner}</sd:${retur}></s:${root}>`;
    const STS = 'urn:oio:sts:1.0.0';
    const SD = 'urn:oio:sagdok:3.0.0';
    // The product's own answer, and the same with default namespaces.
    expect(isPushAccepted(200, modtagBeskedOutput(20))).toBe(true);
    expect(isPushAccepted(200, modtagBeskedOutput(40, 'nej'))).toBe(false);
    expect(isPushAccepted(200, answer('ModtagBeskedOutput', STS, 'StandardRetur', SD))).toBe(true);
    expect(
      isPushAccepted(
        200,
        `<ModtagBeskedOutput xmlns="${STS}"><StandardRetur xmlns="${SD}"><StatusKode>20</StatusKode></StandardRetur></ModtagBeskedOutput>`,
      ),
    ).toBe(true);
    // What KOMBIT refuses: no namespace, other namespaces, the type's name as the element, other children.
    expect(
      isPushAccepted(
        200,
        '<ModtagBeskedOutput><StandardRetur><StatusKode>20</StatusKode></StandardRetur></ModtagBeskedOutput>',
      ),
    ).toBe(false);
    expect(isPushAccepted(200, answer('ModtagBeskedOutput', 'urn:oio:sts:2.0.0', 'StandardRetur', SD))).toBe(
      false,
    );
    expect(
      isPushAccepted(200, answer('ModtagBeskedOutput', STS, 'StandardRetur', 'urn:oio:sag-dok:3.0.0')),
    ).toBe(false);
    expect(isPushAccepted(200, answer('ModtagBeskedOutputType', STS, 'StandardRetur', SD))).toBe(false);
    expect(
      isPushAccepted(
        200,
        answer('ModtagBeskedOutput', STS, 'StandardRetur', SD, '<StatusKode>20</StatusKode>'),
      ),
    ).toBe(false);
    expect(
      isPushAccepted(
        200,
        answer(
          'ModtagBeskedOutput',
          STS,
          'StandardRetur',
          SD,
          '<sd:StatusKode>20</sd:StatusKode><sd:StatusKode>20</sd:StatusKode>',
        ),
      ),
    ).toBe(false);
    expect(
      isPushAccepted(
        200,
        `<s:ModtagBeskedOutput xmlns:s="${STS}"><s:StandardRetur><s:StatusKode>20</s:StatusKode></s:StandardRetur></s:ModtagBeskedOutput>`,
      ),
    ).toBe(false);
  });
});
