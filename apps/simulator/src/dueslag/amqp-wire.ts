/**
 * The few AMQP 0-9-1 frames the Beskedfordeler front speaks itself (connection start, start-ok,
 * close): everything after the handshake is relayed as whole frames without being decoded.
 */
export const PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]); // "AMQP" 0-9-1
const FRAME_METHOD = 1;
const FRAME_END = 0xce;
const CONNECTION = 10;
const CHANNEL = 20;
export const METHOD = { start: 10, startOk: 11, tune: 30, close: 50, closeOk: 51 } as const;
/** channel.close and channel.close-ok (class 20). */
export const CHANNEL_METHOD = { close: 40, closeOk: 41 } as const;
/**
 * Methods that name a queue as their first argument after the reserved short: queue.declare, bind,
 * purge, delete, unbind (class 50) and basic.consume, basic.get (class 60).
 */
const QUEUE_METHODS: ReadonlySet<number> = new Set([
  (50 << 16) | 10,
  (50 << 16) | 20,
  (50 << 16) | 30,
  (50 << 16) | 40,
  (50 << 16) | 50,
  (60 << 16) | 20,
  (60 << 16) | 70,
]);

export interface Frame {
  readonly type: number;
  readonly channel: number;
  readonly payload: Buffer;
  /** The whole frame as it came, for relaying. */
  readonly raw: Buffer;
}

/** Collects bytes and yields complete frames; what is left stays for the next push. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const size = this.buf.readUInt32BE(3);
      const total = 7 + size + 1;
      if (this.buf.length < total) break;
      if (this.buf[total - 1] !== FRAME_END) throw new Error('AMQP frame without frame-end octet');
      const raw = this.buf.subarray(0, total);
      frames.push({ type: raw[0]!, channel: raw.readUInt16BE(1), payload: raw.subarray(7, 7 + size), raw });
      this.buf = this.buf.subarray(total);
    }
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  rest(): Buffer {
    return this.buf;
  }
}

/** class-id and method-id of a connection-level method frame, or undefined. */
export function connectionMethod(f: Frame): number | undefined {
  if (f.type !== FRAME_METHOD || f.channel !== 0 || f.payload.length < 4) return undefined;
  return f.payload.readUInt16BE(0) === CONNECTION ? f.payload.readUInt16BE(2) : undefined;
}

/** class-id and method-id of a channel-level (channel > 0) method frame, or undefined. */
export function channelMethod(f: Frame): { classId: number; methodId: number } | undefined {
  if (f.type !== FRAME_METHOD || f.channel === 0 || f.payload.length < 4) return undefined;
  return { classId: f.payload.readUInt16BE(0), methodId: f.payload.readUInt16BE(2) };
}

/** True for channel.close / channel.close-ok on the frame's channel. */
export function isChannelMethod(f: Frame, methodId: number): boolean {
  const m = channelMethod(f);
  return m?.classId === CHANNEL && m.methodId === methodId;
}

/** The queue a queue.* or basic.consume/get frame names, with its class and method; else undefined. */
export function queueAccess(f: Frame): { queue: string; classId: number; methodId: number } | undefined {
  const m = channelMethod(f);
  if (m === undefined || !QUEUE_METHODS.has((m.classId << 16) | m.methodId)) return undefined;
  // Arguments: reserved-1 (short), queue (shortstr).
  const len = f.payload[6];
  if (len === undefined || f.payload.length < 7 + len) return undefined;
  return { queue: f.payload.subarray(7, 7 + len).toString('utf8'), ...m };
}

function shortstr(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length]), b]);
}

function longstr(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function methodFrame(method: number, args: Buffer, channel = 0, classId = CONNECTION): Buffer {
  const head = Buffer.alloc(11);
  head[0] = FRAME_METHOD;
  head.writeUInt16BE(channel, 1);
  head.writeUInt32BE(4 + args.length, 3);
  head.writeUInt16BE(classId, 7);
  head.writeUInt16BE(method, 9);
  return Buffer.concat([head, args, Buffer.from([FRAME_END])]);
}

/** A table with string values (field type 'S'). */
function table(entries: Record<string, string>): Buffer {
  const parts = Object.entries(entries).map(([k, v]) =>
    Buffer.concat([shortstr(k), Buffer.from('S'), longstr(Buffer.from(v, 'utf8'))]),
  );
  return longstr(Buffer.concat(parts));
}

/** connection.start offering only the given SASL mechanisms. */
export function connectionStart(mechanisms: string, product: string): Buffer {
  return methodFrame(
    METHOD.start,
    Buffer.concat([
      Buffer.from([0, 9]),
      table({ product, platform: 'Node.js' }),
      longstr(Buffer.from(mechanisms)),
      longstr(Buffer.from('en_US')),
    ]),
  );
}

export interface StartOk {
  /** The client-properties table exactly as sent (length prefix included). */
  readonly clientProperties: Buffer;
  readonly mechanism: string;
  readonly response: Buffer;
  readonly locale: string;
}

/** Reads a connection.start-ok frame's fields. */
export function parseStartOk(f: Frame): StartOk {
  const p = f.payload;
  let at = 4;
  const tableLen = p.readUInt32BE(at);
  const clientProperties = p.subarray(at, at + 4 + tableLen);
  at += 4 + tableLen;
  const mechLen = p[at]!;
  const mechanism = p.subarray(at + 1, at + 1 + mechLen).toString('utf8');
  at += 1 + mechLen;
  const respLen = p.readUInt32BE(at);
  const response = p.subarray(at + 4, at + 4 + respLen);
  at += 4 + respLen;
  const locLen = p[at] ?? 0;
  const locale = p.subarray(at + 1, at + 1 + locLen).toString('utf8');
  return { clientProperties, mechanism, response, locale };
}

/** connection.start-ok for the upstream broker: the client's properties, PLAIN login. */
export function startOkPlain(clientProperties: Buffer, user: string, password: string): Buffer {
  const response = Buffer.from(`\0${user}\0${password}`, 'utf8');
  return methodFrame(
    METHOD.startOk,
    Buffer.concat([clientProperties, shortstr('PLAIN'), longstr(response), shortstr('en_US')]),
  );
}

/** connection.close with a reply code (403 ACCESS_REFUSED, 320 CONNECTION_FORCED). */
export function connectionClose(code: number, text: string): Buffer {
  const args = Buffer.alloc(4);
  return methodFrame(
    METHOD.close,
    Buffer.concat([Buffer.from([code >> 8, code & 0xff]), shortstr(text.slice(0, 255)), args]),
  );
}

export function connectionCloseOk(): Buffer {
  return methodFrame(METHOD.closeOk, Buffer.alloc(0));
}

/** channel.close with a reply code and the method that caused it (RabbitMQ's 403 ACCESS_REFUSED). */
export function channelClose(channel: number, code: number, text: string, classId = 0, methodId = 0): Buffer {
  const args = Buffer.alloc(4);
  args.writeUInt16BE(classId, 0);
  args.writeUInt16BE(methodId, 2);
  return methodFrame(
    CHANNEL_METHOD.close,
    Buffer.concat([Buffer.from([code >> 8, code & 0xff]), shortstr(text.slice(0, 255)), args]),
    channel,
    CHANNEL,
  );
}

export function channelCloseOk(channel: number): Buffer {
  return methodFrame(CHANNEL_METHOD.closeOk, Buffer.alloc(0), channel, CHANNEL);
}
