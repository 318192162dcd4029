import type { ConfigOf } from '@cprh/config';
import { redactUrl } from '@cprh/config';
import { oneLine } from '@cprh/errors';
import {
  loadFunctionCertificate,
  connectBroker,
  StsClient,
  type FunctionCertificate,
  type SamlToken,
} from '@cprh/kombit';

export const KOMBIT_CHECK_SECTIONS = ['amqp', 'clientCert', 'poller'] as const;
export type KombitCheckConfig = ConfigOf<typeof KOMBIT_CHECK_SECTIONS>;

/** One step of the doctor: its name and what it found, or throws with the reason. */
export interface Step {
  readonly name: string;
  run(): Promise<string>;
}

interface State {
  cert?: FunctionCertificate;
  sts?: StsClient;
  token?: SamlToken;
  conn?: Awaited<ReturnType<typeof connectBroker>>;
}

/**
 * The steps of `cprh kombit check` in order: certificate, STS token, broker TLS + login, dueslag.
 * Each needs the one before. `close()` releases what they opened.
 */
export function kombitCheckSteps(config: KombitCheckConfig): { steps: Step[]; close: () => Promise<void> } {
  const s: State = {};
  const { amqp: a } = config;
  const steps: Step[] = [
    { name: 'certificate', run: async () => certificateStep(config, s) },
    { name: 'sts token', run: () => stsStep(config, s) },
    { name: 'broker', run: () => brokerStep(config, s) },
    { name: 'dueslag', run: () => dueslagStep(config, s) },
  ];
  const close = async (): Promise<void> => {
    await s.conn?.close().catch(() => undefined);
    await s.sts?.close().catch(() => undefined);
  };
  return {
    steps: a.auth === 'sts' ? steps : steps.filter((st) => st.name === 'broker' || st.name === 'dueslag'),
    close,
  };
}

function certificateStep(config: KombitCheckConfig, s: State): string {
  const cert = loadFunctionCertificate(config.clientCert);
  s.cert = cert;
  const soon = cert.expiresSoon() ? ' — EXPIRES WITHIN 30 DAYS' : '';
  return `${cert.subject}; CVR ${cert.cvr ?? '(none in the subject)'}; valid until ${cert.notAfter.toISOString()} (${cert.daysLeft()} days)${soon}; key matches`;
}

async function stsStep(config: KombitCheckConfig, s: State): Promise<string> {
  const { sts } = config.amqp;
  if (s.cert === undefined || sts.cvr === undefined) throw new Error('STS_CVR is not set');
  s.sts = new StsClient({
    url: sts.url,
    cvr: sts.cvr,
    appliesTo: sts.appliesTo,
    refreshMarginSeconds: sts.refreshMarginSeconds,
    certificate: s.cert,
    retry: { attempts: 1, minMs: 0, maxMs: 0 },
  });
  s.token = await s.sts.fresh();
  const t = s.token;
  return `${new URL(sts.url).host}: token for ${t.audience ?? '?'}, subject ${t.subject ?? '?'}, valid ${Math.round(t.secondsLeft())} s (until ${t.notOnOrAfter.toISOString()})`;
}

async function brokerStep(config: KombitCheckConfig, s: State): Promise<string> {
  const url = config.amqp.url;
  const login = s.sts && s.cert ? { sts: s.sts, tls: s.cert.tls() } : undefined;
  try {
    s.conn = await connectBroker(url, 'cprh kombit check', login, s.token);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'KOMBIT_AMQP_REFUSED') throw err;
    throw new Error(`${redactUrl(url)}: ${oneLine(err)}`);
  }
  const how = login ? 'TLS with the certificate, SASL EXTERNAL with the token' : 'user and password';
  return `${redactUrl(url)}: connected and logged in (${how})`;
}

async function dueslagStep(config: KombitCheckConfig, s: State): Promise<string> {
  const queue = config.poller.dueslagQueue;
  if (s.conn === undefined) throw new Error('no broker connection');
  const ch = await s.conn.createChannel();
  ch.on('error', () => undefined);
  try {
    const q = await ch.checkQueue(queue);
    return `${queue} exists: ${q.messageCount} message(s) waiting, ${q.consumerCount} consumer(s)`;
  } catch (err) {
    throw new Error(`${queue} is not there (or this login may not read it): ${oneLine(err)}`);
  }
}
