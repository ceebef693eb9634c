// One TCP connection to a Kafka broker, speaking through kafkalite's own codecs
// (protocol/): size-prefixed frames, request header v1/v2 and response header v0/v1 picked
// from the API version, responses matched to requests by correlation id. Requests may be
// pipelined; each has a timeout (I/O timer, not broker logic).

import { connect, type Socket } from 'node:net';
import { codecFor } from '../../protocol/codec.js';
import { RequestHeader, ResponseHeader, requestHeaderVersion, responseHeaderVersion } from '../../protocol/header.js';
import { Reader, Writer } from '../../protocol/primitives.js';
import type { ApiSpec, Input, RequestOf, ResponseOf } from '../../protocol/schema.js';

export class KafkaConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaConnectionError';
  }
}

interface Pending {
  decode(body: Reader): unknown;
  resolve(v: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class KafkaConnection {
  private readonly pending = new Map<number, Pending>();
  private buffered: Buffer = Buffer.alloc(0);
  private nextCorrelationId = 1;
  private closedError: Error | null = null;

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    private readonly clientId: string,
    private readonly requestTimeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(new KafkaConnectionError(`${address}: ${err.message}`)));
    socket.on('close', () => this.fail(new KafkaConnectionError(`${address}: connection closed`)));
  }

  static open(
    host: string,
    port: number,
    opts: { clientId: string; connectTimeoutMs?: number; requestTimeoutMs?: number },
  ): Promise<KafkaConnection> {
    const address = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new KafkaConnectionError(`${address}: no connection within ${opts.connectTimeoutMs ?? 10_000} ms`));
      }, opts.connectTimeoutMs ?? 10_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new KafkaConnection(socket, address, opts.clientId, opts.requestTimeoutMs ?? 30_000));
      });
      const onError = (err: Error) => {
        clearTimeout(timer);
        reject(new KafkaConnectionError(`cannot connect to ${address}: ${err.message}`));
      };
      socket.once('error', onError);
    });
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /** Send a request; resolves with the decoded response. `timeoutMs` overrides the default (long polls). */
  send<A extends ApiSpec>(api: A, version: number, body: Input<RequestOf<A>>, timeoutMs?: number): Promise<ResponseOf<A>> {
    if (this.closedError) return Promise.reject(this.closedError);
    const correlationId = this.nextCorrelationId++;
    const w = new Writer(256);
    w.int32(0);
    codecFor(RequestHeader, requestHeaderVersion(api.apiKey, version, api)).write(w, {
      requestApiKey: api.apiKey,
      requestApiVersion: version,
      correlationId,
      clientId: this.clientId,
    });
    codecFor(api.request, version).write(w, body as never);
    w.patchInt32AtStart(w.length - 4);
    const chunks = w.chunksOut();
    return new Promise<ResponseOf<A>>((resolve, reject) => {
      const limit = timeoutMs ?? this.requestTimeoutMs;
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new KafkaConnectionError(`${this.address}: no ${api.name} response within ${limit} ms`));
      }, limit);
      this.pending.set(correlationId, {
        decode: (r) => {
          codecFor(ResponseHeader, responseHeaderVersion(api.apiKey, version, api)).read(r);
          return codecFor(api.response, version).read(r);
        },
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
      });
      this.socket.cork();
      for (const c of chunks) this.socket.write(c);
      this.socket.uncork();
    });
  }

  close(): void {
    this.fail(new KafkaConnectionError(`${this.address}: connection closed by the client`));
    this.socket.destroy();
  }

  private fail(err: Error): void {
    if (!this.closedError) this.closedError = err;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) break;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const correlationId = frame.readInt32BE(0);
      const p = this.pending.get(correlationId);
      if (!p) continue;
      this.pending.delete(correlationId);
      clearTimeout(p.timer);
      try {
        p.resolve(p.decode(new Reader(frame)));
      } catch (err) {
        p.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
}
