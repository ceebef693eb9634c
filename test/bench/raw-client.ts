// A minimal Kafka client over a raw TCP socket, for the benchmarks: hand-encodes requests
// with the protocol codecs (no client library in the measured path) and decodes responses.

import { connect, type Socket } from 'node:net';
import { decode, encode } from '../../protocol/codec.js';
import { RequestHeader, requestHeaderVersion, responseHeaderVersion } from '../../protocol/header.js';
import type { ApiSpec, Input, Infer } from '../../protocol/schema.js';
import type { Fields } from '../../protocol/schema.js';

interface Pending {
  resolve(frame: Buffer): void;
  reject(err: Error): void;
}

export class RawClient {
  private nextCorrelationId = 1;
  private readonly pending = new Map<number, Pending>();
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closedError: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    const fail = (err: Error) => {
      this.closedError ??= err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static connect(host: string, port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
    });
  }

  /** Send one request and decode its response. */
  async request<Req extends Fields, Res extends Fields>(
    api: ApiSpec<Req, Res>,
    version: number,
    body: Input<Infer<Req>>,
  ): Promise<Infer<Res>> {
    if (this.closedError) throw this.closedError;
    const correlationId = this.nextCorrelationId++;
    const header = encode(RequestHeader, requestHeaderVersion(api.apiKey, version, api), {
      requestApiKey: api.apiKey,
      requestApiVersion: version,
      correlationId,
      clientId: 'kafkalite-bench',
    });
    const payload = encode(api.request, version, body);
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + payload.length);
    const frame = await new Promise<Buffer>((resolve, reject) => {
      this.pending.set(correlationId, { resolve, reject });
      this.socket.write(Buffer.concat([size, header, payload]));
    });
    // Response header: correlation id, then (v1) an empty tagged-field section.
    const hv = responseHeaderVersion(api.apiKey, version, api);
    let pos = 4;
    if (hv >= 1) {
      if (frame[pos] !== 0) throw new Error('bench client: response header has tagged fields');
      pos += 1;
    }
    return decode(api.response, version, frame, pos);
  }

  /** Close the socket without waiting. */
  destroy(): void {
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    this.chunks.push(d);
    this.buffered += d.length;
    for (;;) {
      if (this.buffered < 4) return;
      let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      const size = buf.readInt32BE(0);
      if (this.buffered < 4 + size) {
        this.chunks = [buf];
        return;
      }
      const frame = buf.subarray(4, 4 + size);
      buf = buf.subarray(4 + size);
      this.chunks = buf.length > 0 ? [buf] : [];
      this.buffered = buf.length;
      const correlationId = frame.readInt32BE(0);
      const p = this.pending.get(correlationId);
      if (!p) {
        this.socket.destroy(new Error(`bench client: unexpected correlation id ${correlationId}`));
        return;
      }
      this.pending.delete(correlationId);
      p.resolve(frame);
    }
  }
}
