// A tiny raw-TCP Kafka client for wire-level tests: size-prefixed frames, request header v1/v2 and
// response header v0/v1 picked like the generated Kafka code (ApiKeys.requestHeaderVersion), and
// responses matched to requests in order (pipelining: send several without awaiting).
//
//   const c = await WireClient.connect(broker.bootstrap);
//   const res = await c.send(Metadata, 12, { topics: null });
//   c.sendRaw(bytes); await c.expectClose();

import { connect, type Socket } from 'node:net';
import { codecFor } from '../../protocol/codec.js';
import { RequestHeader, ResponseHeader, requestHeaderVersion, responseHeaderVersion } from '../../protocol/header.js';
import { Reader, Writer } from '../../protocol/primitives.js';
import { inRange, type ApiSpec, type Input, type RequestOf, type ResponseOf } from '../../protocol/schema.js';

export interface SendOptions {
  correlationId?: number;
  /** null sends a null client id; default 'wire-test'. */
  clientId?: string | null;
  /** Request header version; default from the API version (1, or 2 when flexible). */
  headerVersion?: number;
  /** Version used to encode the body (default: the request version, or an empty body when the schema has no such version). */
  bodyVersion?: number;
  /** Version used to decode the response body (default: the request version; ApiVersions beyond its schema: 0). */
  responseVersion?: number;
  /** false: write the request and expect no response (Produce acks=0). */
  expectResponse?: boolean;
}

export interface Exchange<T> {
  correlationId: number;
  body: T;
}

interface Pending {
  correlationId: number;
  decode: (frame: Buffer) => Exchange<unknown>;
  resolve: (e: Exchange<unknown>) => void;
  reject: (err: Error) => void;
}

/** Encodes one request frame (size prefix included). */
export function requestFrame<A extends ApiSpec>(
  api: A,
  version: number,
  body: Input<RequestOf<A>> | Buffer,
  opts: { correlationId: number; clientId?: string | null; headerVersion?: number; bodyVersion?: number },
): Buffer {
  const w = new Writer(256);
  w.int32(0);
  const hv = opts.headerVersion ?? requestHeaderVersion(api.apiKey, version, api);
  codecFor(RequestHeader, hv).write(w, {
    requestApiKey: api.apiKey,
    requestApiVersion: version,
    correlationId: opts.correlationId,
    clientId: opts.clientId === undefined ? 'wire-test' : opts.clientId,
  });
  if (Buffer.isBuffer(body)) w.raw(body);
  else {
    const bv = opts.bodyVersion ?? version;
    if (inRange(api.request.validVersions, bv)) codecFor(api.request, bv).write(w, body as never);
  }
  const out = w.toBuffer();
  out.writeInt32BE(out.length - 4, 0);
  return out;
}

export class WireClient {
  private readonly pending: Pending[] = [];
  private buffered: Buffer = Buffer.alloc(0);
  private nextCorrelationId = 1;
  private corked: Buffer[] | null = null;
  private closedFlag = false;
  private readonly closedPromise: Promise<void>;
  /** Every response frame received (without its size prefix), in order. */
  readonly frames: Buffer[] = [];

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined); // surfaced through 'close'
    this.closedPromise = new Promise<void>((resolve) => {
      socket.on('close', () => {
        this.closedFlag = true;
        for (const p of this.pending.splice(0))
          p.reject(new Error(`connection closed before the response to correlation id ${p.correlationId}`));
        resolve();
      });
    });
  }

  static connect(bootstrap: string): Promise<WireClient> {
    const i = bootstrap.lastIndexOf(':');
    const host = bootstrap.slice(0, i);
    const port = Number(bootstrap.slice(i + 1));
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new WireClient(socket));
      });
      socket.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Number of requests still waiting for a response. */
  get inFlight(): number {
    return this.pending.length;
  }

  /** Send a request and resolve with the decoded response body. */
  async send<A extends ApiSpec>(api: A, version: number, body: Input<RequestOf<A>>, opts: SendOptions = {}): Promise<ResponseOf<A>> {
    return (await this.exchange(api, version, body, opts)).body;
  }

  /** Like send(), but also gives the correlation id read from the response header. */
  exchange<A extends ApiSpec>(
    api: A,
    version: number,
    body: Input<RequestOf<A>>,
    opts: SendOptions = {},
  ): Promise<Exchange<ResponseOf<A>>> {
    const correlationId = opts.correlationId ?? this.nextCorrelationId++;
    const bodyVersion = opts.bodyVersion ?? (inRange(api.request.validVersions, version) ? version : -1);
    const frame = requestFrame(api, version, body, {
      correlationId,
      clientId: opts.clientId,
      headerVersion: opts.headerVersion,
      bodyVersion,
    });
    if (opts.expectResponse === false) {
      this.write(frame);
      return Promise.resolve({ correlationId, body: undefined as unknown as ResponseOf<A> });
    }
    let responseVersion = opts.responseVersion ?? version;
    if (opts.responseVersion === undefined && api.apiKey === 18 && !inRange(api.response.validVersions, version)) responseVersion = 0;
    const decode = (f: Buffer): Exchange<unknown> => {
      const r = new Reader(f);
      const hv = responseHeaderVersion(api.apiKey, responseVersion, api);
      const header = codecFor(ResponseHeader, hv).read(r);
      const decoded = codecFor(api.response, responseVersion).read(r);
      if (r.remaining !== 0) throw new Error(`${api.name} v${responseVersion} response: ${r.remaining} bytes left after the body`);
      return { correlationId: header.correlationId, body: decoded };
    };
    return new Promise<Exchange<ResponseOf<A>>>((resolve, reject) => {
      if (this.closedFlag) {
        reject(new Error('connection is closed'));
        return;
      }
      this.pending.push({ correlationId, decode, resolve: resolve as (e: Exchange<unknown>) => void, reject });
      this.write(frame);
    });
  }

  /** Write raw bytes (a hand-made frame, garbage, half a frame...). */
  sendRaw(bytes: Buffer): void {
    this.write(bytes);
  }

  /** Collect writes until uncork(), which sends them in one socket write. */
  cork(): void {
    this.corked ??= [];
  }

  uncork(): void {
    const parts = this.corked;
    this.corked = null;
    if (parts && parts.length > 0) this.socket.write(Buffer.concat(parts));
  }

  /** Resolves when the broker closes the connection. */
  expectClose(): Promise<void> {
    return this.closedPromise;
  }

  async close(): Promise<void> {
    if (!this.closedFlag) this.socket.destroy();
    await this.closedPromise;
  }

  private write(bytes: Buffer): void {
    if (this.corked) this.corked.push(bytes);
    else this.socket.write(bytes);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) break;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      this.frames.push(frame);
      const p = this.pending.shift();
      if (!p) continue; // unexpected response: visible in `frames`
      try {
        const e = p.decode(frame);
        if (e.correlationId !== p.correlationId) {
          p.reject(new Error(`correlation id mismatch: expected ${p.correlationId}, got ${e.correlationId}`));
        } else p.resolve(e);
      } catch (err) {
        p.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
}
