import type { Socket } from 'node:net';
import type { Server, TLSSocket } from 'node:tls';

/** Why a connection was closed before it had a TLS session (the metric's `reason` label). */
export type RefusedReason = 'max_connections' | 'max_handshakes' | 'handshake_timeout';

export interface HandshakeGuardOptions {
  /** From TCP accept to the end of the TLS handshake; a slower connection is closed. */
  timeoutMs: number;
  /** Handshakes in progress at once; a connection beyond it is closed before any TLS work. */
  maxHandshakes: number;
  onRefused: (reason: RefusedReason) => void;
}

/**
 * Bounds what a client costs before mutual TLS has said who it is. A deadline from the TCP accept
 * (Node's own handshakeTimeout, 120 s unless set, is given the same value; whichever fires first
 * closes the connection, so the bound does not depend on how Node counts activity). And each
 * handshake costs a signature on the event loop: with more than `maxHandshakes` under way, a new
 * connection is closed at once (the sender connects again later), so a burst of thousands of
 * connections cannot queue seconds of handshakes ahead of the requests of connections already
 * established. Fair to senders: when every slot is taken and the new connection's address holds
 * fewer of them than the address holding most, that address's oldest handshake is closed instead,
 * so one host trickling handshakes cannot keep Beskedfordeler from connecting.
 */
export class HandshakeGuard {
  /** Handshakes in progress, oldest first, with their deadline and the client's address. */
  private readonly pending = new Map<Socket, { timer: NodeJS.Timeout; address: string }>();
  private readonly perAddress = new Map<string, number>();

  constructor(
    server: Server,
    private readonly o: HandshakeGuardOptions,
  ) {
    // Runs after tls.Server's own listener has wrapped the socket; nothing has been read yet.
    server.on('connection', (raw: Socket) => this.accepted(raw));
    server.on('secureConnection', (socket: TLSSocket) => this.finished(socket));
    server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => {
      if (this.finished(socket) && err.code === 'ERR_TLS_HANDSHAKE_TIMEOUT') {
        this.o.onRefused('handshake_timeout'); // Node's timer was first
      }
    });
  }

  /** On stop: handshakes in progress are closed (the HTTP server does not know them yet). */
  closeAll(): void {
    for (const socket of [...this.pending.keys()]) {
      this.release(socket);
      socket.destroy();
    }
  }

  private accepted(raw: Socket): void {
    const address = raw.remoteAddress ?? '';
    if (this.pending.size >= this.o.maxHandshakes && !this.evictForNewcomer(address)) {
      raw.destroy();
      this.o.onRefused('max_handshakes');
      return;
    }
    const timer = setTimeout(() => {
      if (this.pending.get(raw)?.timer !== timer) return;
      this.release(raw);
      raw.destroy(); // closes the TLS socket wrapped around it too
      this.o.onRefused('handshake_timeout');
    }, this.o.timeoutMs);
    timer.unref();
    this.pending.set(raw, { timer, address });
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    raw.once('close', () => this.release(raw));
  }

  /** Closes the oldest handshake of the address holding most slots, if it holds more than `address` would. */
  private evictForNewcomer(address: string): boolean {
    let top = '';
    let most = 0;
    for (const [a, n] of this.perAddress) {
      if (n > most) [top, most] = [a, n];
    }
    if ((this.perAddress.get(address) ?? 0) + 1 >= most) return false;
    for (const [socket, p] of this.pending) {
      if (p.address !== top) continue;
      this.release(socket);
      socket.destroy();
      this.o.onRefused('max_handshakes');
      return true;
    }
    return false;
  }

  /** Whether the connection was still counted as handshaking. */
  private finished(socket: TLSSocket): boolean {
    // Node keeps the accepted TCP socket as the TLS socket's `_parent` (server side, Node 20). Were
    // it missing, the deadline's timer still releases the slot.
    const raw = (socket as TLSSocket & { _parent?: Socket })._parent;
    return raw !== undefined && this.release(raw);
  }

  private release(raw: Socket): boolean {
    const p = this.pending.get(raw);
    if (p === undefined) return false;
    clearTimeout(p.timer);
    this.pending.delete(raw);
    const left = (this.perAddress.get(p.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(p.address, left);
    else this.perAddress.delete(p.address);
    return true;
  }
}
