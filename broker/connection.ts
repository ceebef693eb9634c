// One client connection. Requests are read as frames and handled strictly one at a time,
// in arrival order, like Kafka's muted channel: the next request is dispatched only once
// the previous one's response has been queued. So responses leave in request order and a
// parked request (long-poll Fetch) holds back later ones on the same connection, as in Kafka.
//
// A quota throttle mutes the connection after its response is written, as Kafka mutes the
// channel (mute() below; the throttle comes from broker/quotas/enforce.ts through the dispatcher).
//
// A broken frame (bad size, undecodable header or body, unknown API) closes this connection
// with one logged reason; the broker and other connections carry on.

import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { FrameTooLargeError } from '../protocol/errors.js';
import { FrameDecoder } from '../protocol/frame.js';
import type { NodeInfo } from './cluster.js';
import type { DispatchResult, Dispatcher } from './dispatcher.js';
import type { ConnectionInfo } from './handler.js';
import { isSasl, type ListenerSpec, type SecurityProtocol } from './security/listeners.js';

/** Stop reading from a client that has this many requests waiting. */
const MAX_QUEUED = 64;

export class Connection implements ConnectionInfo {
  readonly remoteAddress: string;
  readonly remotePort: number;
  clientSoftware?: { name: string; version: string };
  principal?: string;
  readonly listenerName: string;
  readonly securityProtocol: SecurityProtocol;
  readonly authenticationRequired: boolean;
  private readonly decoder: FrameDecoder;
  private readonly queue: Buffer[] = [];
  private readonly abort = new AbortController();
  private busy = false;
  /** Throttled by a quota: the socket stays paused until the throttle ends. */
  private muted = false;
  private closed = false;
  /** Broker shutdown began: no more requests are read, the one in hand may still answer. */
  private stopping = false;
  /** Why the connection ends, for its 'connection closed' line. */
  private closeReason: string | null = null;
  private socketError: string | null = null;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly node: NodeInfo,
    private readonly dispatcher: Dispatcher,
    private readonly log: Logger,
    maxFrameBytes: number,
    idleMs: number,
    listener: Pick<ListenerSpec, 'name' | 'protocol'> = { name: 'PLAINTEXT', protocol: 'PLAINTEXT' },
    /** From the client certificate on an SSL listener with client auth (broker/security/tls.ts). */
    principal?: string,
  ) {
    this.listenerName = listener.name;
    this.securityProtocol = listener.protocol;
    this.authenticationRequired = isSasl(listener.protocol);
    if (principal !== undefined) this.principal = principal;
    this.remoteAddress = socket.remoteAddress ?? '?';
    this.remotePort = socket.remotePort ?? 0;
    this.decoder = new FrameDecoder(maxFrameBytes);
    socket.setNoDelay(true);
    if (idleMs > 0) {
      socket.setTimeout(idleMs, () => this.close(`idle for more than ${idleMs} ms (connections.max.idle.ms)`, 'debug'));
    }
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => (this.socketError = err.message));
    socket.on('close', () => {
      this.closed = true;
      this.abort.abort();
      const reason = this.closeReason ?? 'closed by the client';
      this.log.info(
        {
          conn: id,
          node: node.nodeId,
          client: `${this.remoteAddress}:${this.remotePort}`,
          reason,
          ...(this.socketError ? { error: this.socketError } : {}),
        },
        'connection closed',
      );
    });
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Close the connection, logging why. */
  close(reason: string, level: 'warn' | 'debug' = 'warn'): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.log[level](
      { conn: this.id, client: `${this.remoteAddress}:${this.remotePort}`, node: this.node.nodeId },
      `closing connection: ${reason}`,
    );
    this.queue.length = 0;
    this.socket.end();
    this.socket.destroySoon();
    this.abort.abort();
  }

  /**
   * Shutdown, first step: read no more requests. The request in hand may still be answered (a
   * parked JoinGroup that the coordinator's shutdown answered with NOT_COORDINATOR).
   */
  stopReading(): void {
    this.stopping = true;
    this.queue.length = 0;
    this.socket.pause();
  }

  /**
   * Shutdown, last step, without a reason line: close once the bytes already written have gone
   * out (destroyed after `flushMs` if they can't). Parked requests still waiting are dropped.
   */
  closeFlushed(flushMs: number): Promise<void> {
    this.closeReason ??= 'broker stopping';
    this.closed = true;
    this.abort.abort();
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.socket.destroy(), flushMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.destroySoon();
    });
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.stopping) return;
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.close(err instanceof FrameTooLargeError ? err.message : `bad frame: ${String(err)}`);
      return;
    }
    if (frames.length === 0) return;
    for (const f of frames) this.queue.push(f);
    if (this.queue.length >= MAX_QUEUED) this.socket.pause();
    if (!this.busy) void this.pump();
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const frame = this.queue.shift()!;
        if (this.queue.length < MAX_QUEUED / 2 && this.socket.isPaused() && !this.muted) this.socket.resume();
        let result: DispatchResult;
        const debug = this.log.isLevelEnabled('debug') && frame.length >= 8;
        const started = debug ? performance.now() : 0;
        try {
          result = await this.dispatcher.dispatch(frame, this.node, this);
          if (debug)
            this.log.debug(
              {
                conn: this.id,
                apiKey: frame.readInt16BE(0),
                apiVersion: frame.readInt16BE(2),
                correlationId: frame.readInt32BE(4),
                ms: Math.round((performance.now() - started) * 1000) / 1000,
              },
              'request',
            );
        } catch (err) {
          this.log.error({ conn: this.id, err }, 'request failed');
          this.close(`internal error: ${err instanceof Error ? err.message : String(err)}`);
          return;
        }
        if (this.closed) return;
        if (result.response && !this.write(result.response)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              this.socket.off('drain', done);
              this.socket.off('close', done);
              resolve();
            };
            this.socket.on('drain', done);
            this.socket.on('close', done);
          });
        }
        if (result.close) {
          this.close(result.close);
          return;
        }
        if (result.throttleMs && result.throttleMs > 0) await this.mute(result.throttleMs);
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * A quota throttle (Kafka's ThrottledChannel, KIP-219): the response already went out; read and
   * handle nothing more from this client for `ms` on the broker clock (a virtual clock moves it
   * when the test advances time), or until the connection closes.
   */
  private mute(ms: number): Promise<void> {
    this.muted = true;
    this.socket.pause();
    return new Promise<void>((resolve) => {
      const done = () => {
        timer.cancel();
        this.abort.signal.removeEventListener('abort', done);
        this.muted = false;
        if (!this.closed && !this.stopping && this.queue.length < MAX_QUEUED / 2) this.socket.resume();
        resolve();
      };
      const timer = this.dispatcher.clock.setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
    });
  }

  private write(chunks: Buffer[]): boolean {
    if (chunks.length === 1) return this.socket.write(chunks[0]!);
    this.socket.cork();
    let ok = true;
    for (const c of chunks) ok = this.socket.write(c);
    this.socket.uncork();
    return ok;
  }
}
