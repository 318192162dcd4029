import { EventGenerator, haendelsesbeskedXml } from '@cprh/simulator';

/** One realistic message as Beskedfordeler puts it on a dueslag. */
export interface Envelope {
  body: Buffer;
  /** BeskedId = the CloudEvent id the stream entry carries. */
  beskedId: string;
  /** AMQP messageId (KOMBIT: the TransaktionsId). */
  messageId: string;
}

/**
 * `n` Haendelsesbeskeder from the simulator's generator (Danish event mix, Base64 person payload,
 * 4–6 KB each). A seed per call keeps runs reproducible and BeskedIds distinct between runs.
 */
export function makeEnvelopes(n: number, seed: number): Envelope[] {
  const gen = new EventGenerator({ seed, populationSize: 60000, start: new Date('2026-06-01T08:00:00Z') });
  const out: Envelope[] = [];
  for (let i = 0; i < n; i++) {
    const e = gen.next();
    out.push({
      body: Buffer.from(haendelsesbeskedXml(e), 'utf8'),
      beskedId: e.beskedId.toLowerCase(),
      messageId: e.transaktionsId,
    });
  }
  return out;
}

export function averageBytes(envelopes: readonly Envelope[]): number {
  if (envelopes.length === 0) return 0;
  return envelopes.reduce((s, e) => s + e.body.length, 0) / envelopes.length;
}
