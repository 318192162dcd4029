/**
 * The few AMQP 0-9-1 frames the Beskedfordeler front speaks itself (connection start, start-ok,
 * close): everything after the handshake is relayed as whole frames without being decoded.
 */
export const PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]); // "AMQP" 0-9-1
const FRAME_METHOD = 1;
const FRAME_END = 0xce;
const CONNECTION = 10;
export const METHOD = { start: 10, startOk: 11, tune: 30, close: 50, closeOk: 51 } as const;

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

function shortstr(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length]), b]);
}

function longstr(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function methodFrame(method: number, args: Buffer): Buffer {
  const head = Buffer.alloc(11);
  head[0] = FRAME_METHOD;
  head.writeUInt16BE(0, 1);
  head.writeUInt32BE(4 + args.length, 3);
  head.writeUInt16BE(CONNECTION, 7);
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
