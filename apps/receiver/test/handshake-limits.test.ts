import { connect as netConnect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { makeDevPki } from '@cprh/testkit';
import { pushBody, pushClient, startTestReceiver } from './support/receiver-harness';

/** The first bytes of a TLS 1.2 ClientHello record; a trickler sends one of them at a time. */
const CLIENT_HELLO_START = Buffer.from('160301020001' + '0001fc0303' + '00'.repeat(64), 'hex');

interface Trickler {
  /** ms from connect to the server closing the connection, undefined while open. */
  closedAfter(): number | undefined;
  stop(): void;
}

/** A TCP connection that sends its ClientHello one byte every `everyMs`, as a slowloris would. */
function trickle(port: number, everyMs: number): Trickler {
  const started = Date.now();
  let closedAt: number | undefined;
  let i = 0;
  const socket: Socket = netConnect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.on('close', () => (closedAt ??= Date.now()));
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(CLIENT_HELLO_START.subarray(i, i + 1));
    i = (i + 1) % CLIENT_HELLO_START.length;
  }, everyMs);
  return {
    closedAfter: () => (closedAt === undefined ? undefined : closedAt - started),
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

/** Whether a mutual-TLS handshake with the dev client certificate completes (false: closed/refused). */
function handshakes(
  pki: ReturnType<typeof makeDevPki>,
  port: number,
  localAddress = '127.0.0.1',
): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tlsConnect(
      {
        socket: netConnect({ host: '127.0.0.1', port, localAddress }),
        ca: readFileSync(pki.path('ca.crt')),
        cert: readFileSync(pki.path('client.crt')),
        key: readFileSync(pki.path('client.key')),
        servername: 'localhost',
      },
      () => {
        s.destroy();
        resolve(true);
      },
    );
    s.on('error', () => resolve(false));
    s.on('close', () => resolve(false));
  });
}

const until = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('TLS handshakes: deadline and caps', () => {
  const pki = makeDevPki();
  afterAll(() => pki.remove());

  it('closes connections trickling a ClientHello at the deadline, refuses new ones beyond the cap (another address still gets a slot), and keeps answering an established connection', async () => {
    const rx = await startTestReceiver(pki, {
      RECEIVER_HANDSHAKE_TIMEOUT_MS: '1500',
      RECEIVER_MAX_HANDSHAKES: '20',
    });
    const client = pushClient(pki, {
      cert: pki.path('client.crt'),
      key: pki.path('client.key'),
      connections: 1,
    });
    const tricklers: Trickler[] = [];
    try {
      expect((await client.send(rx.url, pushBody())).statusKode).toBe(20); // connection established
      // 50 slow handshakes: a byte every 200 ms keeps any idle timer from firing.
      for (let i = 0; i < 50; i++) tricklers.push(trickle(rx.receiver.port, 200));
      await until(700);
      const closedEarly = tricklers.filter((t) => t.closedAfter() !== undefined);
      expect(closedEarly.length).toBe(30); // beyond RECEIVER_MAX_HANDSHAKES: closed at accept
      for (const t of closedEarly) expect(t.closedAfter()).toBeLessThan(700);
      // While 20 handshakes hold every slot: a new connection is refused, the established one answers.
      expect(await handshakes(pki, rx.receiver.port)).toBe(false);
      const t0 = Date.now();
      const during = await client.send(rx.url, pushBody());
      expect([during.status, during.statusKode]).toEqual([200, 20]);
      expect(Date.now() - t0).toBeLessThan(1000);
      // Another address gets a slot all the same: the oldest handshake of the address holding most
      // of them is closed for it (loopback: 127.0.0.2 is this machine too).
      expect(await handshakes(pki, rx.receiver.port, '127.0.0.2')).toBe(true);
      // The deadline is absolute: the 19 still trickling are closed by ~1.5 s, not Node's 120 s.
      await until(2300);
      const held = tricklers.filter((t) => !closedEarly.includes(t));
      expect(held.map((t) => t.closedAfter() !== undefined)).toEqual(held.map(() => true));
      expect(held.filter((t) => t.closedAfter()! < 1400)).toHaveLength(1); // the one closed for 127.0.0.2
      for (const t of held) expect(t.closedAfter()).toBeLessThan(3000);
      // The slots are free again.
      expect(await handshakes(pki, rx.receiver.port)).toBe(true);
      expect((await client.send(rx.url, pushBody())).statusKode).toBe(20);
    } finally {
      for (const t of tricklers) t.stop();
      await client.close();
      await rx.stop();
    }
  });

  it('closes a new connection beyond RECEIVER_MAX_CONNECTIONS at accept; the open ones keep being answered', async () => {
    const rx = await startTestReceiver(pki, {
      RECEIVER_HANDSHAKE_TIMEOUT_MS: '5000',
      RECEIVER_MAX_CONNECTIONS: '5',
      RECEIVER_MAX_HANDSHAKES: '5',
    });
    const client = pushClient(pki, {
      cert: pki.path('client.crt'),
      key: pki.path('client.key'),
      connections: 1,
    });
    const tricklers: Trickler[] = [];
    try {
      expect((await client.send(rx.url, pushBody())).statusKode).toBe(20);
      for (let i = 0; i < 10; i++) tricklers.push(trickle(rx.receiver.port, 200));
      await until(700);
      // One connection is the client's: four more fit, six are closed at once.
      expect(tricklers.filter((t) => t.closedAfter() !== undefined).length).toBe(6);
      expect(await handshakes(pki, rx.receiver.port)).toBe(false);
      expect((await client.send(rx.url, pushBody())).statusKode).toBe(20);
    } finally {
      for (const t of tricklers) t.stop();
      await client.close();
      await rx.stop();
    }
  });
});
