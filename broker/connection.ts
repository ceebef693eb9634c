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
//
// Bounds (broker/limits/): each frame's memory is reserved from the broker's request pool before
// it is read (queued.max.request.bytes) and released once its request is handled; the connection
// stops reading while the pool or the request queue (queued.max.requests) is full, while a quota
// mutes it, and while a response is still in its socket's write buffer (one response in flight, as
// Kafka mutes the channel until the send completes). connections.max.idle.ms runs on the broker
// clock: see idleCheck().
//
// Memory reuse (broker/buffer-pool.ts): a frame that arrives in several chunks is read into pooled
// memory, given back after its request if that was a Produce (the dispatcher's frameFree: the log
// copied the records); a Fetch reads file ranges into this request's ReadBuffers, given back when
// the socket's write callback says the response left the process (never earlier: libuv may still
// be sending from those bytes).

import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { FrameTooLargeError } from '../protocol/errors.js';
import { FrameDecoder } from '../protocol/frame.js';
import { framePool, ReadBuffers, readPool } from './buffer-pool.js';
import type { NodeInfo } from './cluster.js';
import type { DispatchResult, Dispatcher } from './dispatcher.js';
import type { BrokerLimits } from './limits/index.js';
import type { ConnectionInfo } from './handler.js';
import { isSasl, type ListenerSpec, type SecurityProtocol } from './security/listeners.js';

/** Produce's API key: responses to a producer's pipelined requests go out together (write()). */
const PRODUCE_KEY = 0;

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
  /** Response bytes waiting in the socket's write buffer: read nothing more until they drain. */
  private sending = false;
  /** The socket is corked: responses are held to go out together (write()). */
  private corked = false;
  /** A request is with the dispatcher. */
  private handling = false;
  /** Request-pool bytes this connection holds (frames read or being read, not yet handled). */
  private reserved = 0;
  private cancelPoolWait: (() => void) | null = null;
  /** Broker-clock time of the last byte read or written, and when the frame now arriving began. */
  private lastActive = 0;
  private frameStarted: number | null = null;
  /** Pooled memory for the file reads of the request being handled (ConnectionInfo.readBuffers). */
  readBuffers?: ReadBuffers;

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
    private readonly bounds?: BrokerLimits,
  ) {
    this.listenerName = listener.name;
    this.securityProtocol = listener.protocol;
    this.authenticationRequired = isSasl(listener.protocol);
    if (principal !== undefined) this.principal = principal;
    this.remoteAddress = socket.remoteAddress ?? '?';
    this.remotePort = socket.remotePort ?? 0;
    this.decoder = new FrameDecoder(
      maxFrameBytes,
      (size) => this.reserve(size),
      (size) => framePool.take(size) ?? Buffer.allocUnsafe(size),
    );
    socket.setNoDelay(true);
    if (idleMs > 0) {
      if (bounds) this.idleCheck(idleMs);
      else socket.setTimeout(idleMs, () => this.close(`idle for more than ${idleMs} ms (connections.max.idle.ms)`, 'debug'));
    }
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => (this.socketError = err.message));
    socket.on('close', () => {
      this.closed = true;
      this.abort.abort();
      this.releaseAll();
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
    this.dropQueue();
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
    this.dropQueue();
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

  private onData(chunk: Buffer | null): void {
    if (this.closed || this.stopping) return;
    let frames: Buffer[];
    try {
      frames = chunk ? this.decoder.push(chunk) : this.decoder.retry();
    } catch (err) {
      this.close(err instanceof FrameTooLargeError ? err.message : `bad frame: ${String(err)}`);
      return;
    }
    const now = this.bounds ? this.dispatcher.clock.now() : 0;
    if (chunk) this.lastActive = now;
    // A slow sender's clock starts with its frame's first byte (or when the pool let it be read).
    if (this.decoder.buffered === 0 || this.decoder.waitingForMemory) this.frameStarted = null;
    else if (frames.length > 0 || this.frameStarted === null) this.frameStarted = now;
    for (const f of frames) {
      this.queue.push(f);
      this.bounds?.pool.enqueue();
    }
    this.updateReading();
    if (frames.length > 0 && !this.busy) void this.pump();
  }

  /** The request pool's reservation for a frame of `size` bytes (protocol/frame.ts asks it). */
  private reserve(size: number): boolean {
    if (!this.bounds) return true;
    // A full request queue holds back only read-ahead: a connection with nothing in hand may read
    // its next request, which is handled at once (never queued), so parked requests waiting on
    // other connections (a JoinGroup) cannot starve them.
    if (this.bounds.pool.queueFull && (this.busy || this.queue.length > 0)) return false;
    if (!this.bounds.pool.reserve(size)) return false;
    this.reserved += size;
    return true;
  }

  /** A handled (or dropped) frame's memory goes back to the pool. */
  private releaseFrame(frame: Buffer): void {
    if (!this.bounds || frame.length === 0 || this.reserved < frame.length) return;
    this.reserved -= frame.length;
    this.bounds.pool.release(frame.length);
  }

  private dropQueue(): void {
    for (const f of this.queue.splice(0)) {
      this.bounds?.pool.dequeue();
      this.releaseFrame(f);
    }
  }

  /** The connection is gone: everything it held returns to the pool, including a frame half read. */
  private releaseAll(): void {
    this.cancelPoolWait?.();
    this.cancelPoolWait = null;
    this.dropQueue();
    if (this.bounds && this.reserved > 0) this.bounds.pool.release(this.reserved);
    this.reserved = 0;
  }

  /**
   * Read from the socket only while nothing bounds it: not closing, not muted by a quota, no
   * response waiting to drain, fewer than MAX_QUEUED requests waiting here, and the broker's
   * request pool and queue have room (else wait for them to free some, as Kafka's muted channel).
   */
  private updateReading(): void {
    const pool = this.bounds?.pool;
    const poolBlocked = !!pool && (this.decoder.waitingForMemory || (pool.queueFull && (this.busy || this.queue.length > 0)));
    const paused = this.closed || this.stopping || this.muted || this.sending || this.queue.length >= MAX_QUEUED || poolBlocked;
    if (paused) this.socket.pause();
    else if (this.socket.isPaused()) this.socket.resume();
    if (pool && poolBlocked && !this.closed && !this.cancelPoolWait) {
      this.cancelPoolWait = pool.wait(() => {
        this.cancelPoolWait = null;
        if (this.decoder.waitingForMemory) this.onData(null);
        else this.updateReading();
      });
    }
  }

  /**
   * connections.max.idle.ms on the broker clock: closed when nothing was read or written for that
   * long (Kafka's Selector idle expiry), unless a request is in hand or the pool holds it back. Kafka
   * has no separate bound on a slow sender (a byte per idle period keeps it open); here a frame
   * that has not fully arrived within connections.max.idle.ms of its first byte closes the
   * connection too, so a trickling client cannot hold pool memory for ever (docs/DIVERGENCES.md).
   */
  private idleCheck(idleMs: number): void {
    const sweeper = this.bounds!.idle;
    this.lastActive = this.dispatcher.clock.now();
    const watched = {
      check: (now: number): number | null => {
        if (this.closed) return null;
        if (this.frameStarted !== null && now - this.frameStarted >= idleMs) {
          this.bounds!.closed.slowSender++;
          this.close(`a request frame took more than ${idleMs} ms to arrive (connections.max.idle.ms)`, 'debug');
          return null;
        }
        const held = this.handling || this.decoder.waitingForMemory;
        if (now - this.lastActive >= idleMs && !held) {
          this.bounds!.closed.idle++;
          this.close(`idle for more than ${idleMs} ms (connections.max.idle.ms)`, 'debug');
          return null;
        }
        const idleDeadline = held ? now + idleMs : this.lastActive + idleMs;
        return this.frameStarted === null ? idleDeadline : Math.min(idleDeadline, this.frameStarted + idleMs);
      },
    };
    sweeper.add(watched);
    this.abort.signal.addEventListener('abort', () => sweeper.remove(watched));
  }

  private async pump(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const frame = this.queue.shift()!;
        this.bounds?.pool.dequeue();
        this.updateReading();
        let result: DispatchResult;
        const debug = this.log.isLevelEnabled('debug') && frame.length >= 8;
        const started = debug ? performance.now() : 0;
        this.handling = true;
        const buffers = new ReadBuffers(readPool);
        this.readBuffers = buffers;
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
          buffers.release();
          this.log.error({ conn: this.id, err }, 'request failed');
          this.close(`internal error: ${err instanceof Error ? err.message : String(err)}`);
          return;
        } finally {
          this.handling = false;
          this.readBuffers = undefined;
          this.releaseFrame(frame);
        }
        if (result.frameFree) framePool.give(frame);
        if (this.closed || !result.response) {
          buffers.release();
          if (this.closed) return;
        }
        if (this.bounds) this.lastActive = this.dispatcher.clock.now();
        if (result.response && !this.write(result.response, () => buffers.release())) {
          this.uncork();
          this.sending = true;
          this.updateReading();
          await new Promise<void>((resolve) => {
            const done = () => {
              this.socket.off('drain', done);
              this.socket.off('close', done);
              resolve();
            };
            this.socket.on('drain', done);
            this.socket.on('close', done);
          });
          this.sending = false;
          if (this.bounds) this.lastActive = this.dispatcher.clock.now();
          this.updateReading();
        }
        if (result.close) {
          this.close(result.close);
          return;
        }
        if (result.throttleMs && result.throttleMs > 0) {
          this.uncork();
          await this.mute(result.throttleMs);
        }
      }
    } finally {
      this.uncork();
      this.busy = false;
      if (this.decoder.waitingForMemory) this.onData(null);
      else this.updateReading();
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
        this.updateReading();
        resolve();
      };
      const timer = this.dispatcher.clock.setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
    });
  }

  /**
   * Write a response; `written` runs once the socket is done with its bytes (sent, or failed).
   * When the next request already read from this client is a Produce (a pipelining producer's
   * frames arrive several to a read), the response is held in the corked socket until that one is
   * answered too, so one writev carries them: fewer syscalls and TCP segments for both sides. The
   * socket is uncorked when the queue runs dry or holds another API, before a drain wait or a quota
   * mute, and on the next tick at the latest (a request that parks holds nothing back).
   */
  private write(chunks: Buffer[], written: () => void): boolean {
    const next = this.queue[0];
    const produceNext = next !== undefined && next.length >= 2 && next.readInt16BE(0) === PRODUCE_KEY;
    // A response in several chunks is corked too, so its chunks leave in one writev.
    if (!this.corked && (produceNext || chunks.length > 1)) {
      this.corked = true;
      this.socket.cork();
      if (produceNext) process.nextTick(() => this.uncork());
    }
    const last = chunks.length - 1;
    for (let i = 0; i < last; i++) this.socket.write(chunks[i]!);
    const ok = this.socket.write(chunks[last]!, written);
    if (!produceNext) this.uncork();
    return ok;
  }

  /** Send what write() held back (a no-op when nothing is). */
  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }
}
