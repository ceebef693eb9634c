// One TCP connection to a Kafka broker, speaking through kafkalite's own codecs: request
// frames and in-order response matching come from protocol/client-codec.ts; this file adds the
// socket, timeouts and closing. The CLI verbs (bin/client/client.ts), the tests' raw client
// (test/integration/wire-client.ts) and the benchmarks' client all use it.
//
//   const c = await KafkaConnection.connect('127.0.0.1:9092', { clientId: 'me' });
//   const md = await c.send(Metadata, 12, { topics: null });
//   c.sendRaw(bytes); await c.expectClose();
//
// Requests may be pipelined. A request timeout rejects that request only; its response, when
// it comes, is read and dropped so the ones after it still match.

import { connect, type Socket } from 'node:net';
import { requestFrame, responseDecoder, ResponseMatcher, type Exchange } from '../../protocol/client-codec.js';
import type { ApiSpec, Input, RequestOf, ResponseOf } from '../../protocol/schema.js';

export type { Exchange } from '../../protocol/client-codec.js';

export class KafkaConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaConnectionError';
  }
}

export interface ConnectionOptions {
  /** Client id of every request unless a send says otherwise; null sends a null id (default 'kafkalite'). */
  clientId?: string | null;
  /** Give up connecting after this long (default 10 s). */
  connectTimeoutMs?: number;
  /** Default time a request waits for its response; 0 waits for ever (the default). */
  requestTimeoutMs?: number;
  /** Bytes left after a response body are an error (wire tests). */
  strict?: boolean;
  /** Keep every response frame in `frames` (wire tests; not for long-lived connections). */
  recordFrames?: boolean;
}

export interface SendOptions {
  /** Default: the next of the connection's own ids (1, 2, ...). */
  correlationId?: number;
  /** null sends a null client id; default: the connection's. */
  clientId?: string | null;
  /** Request header version; default from the API version (1, or 2 when flexible). */
  headerVersion?: number;
  /** Version used to encode the body (default: the request version, or an empty body when the schema has no such version). */
  bodyVersion?: number;
  /** Version used to decode the response body (default: the request version; ApiVersions beyond its schema: 0). */
  responseVersion?: number;
  /** false: write the request and expect no response (Produce acks=0). */
  expectResponse?: boolean;
  /** Overrides the connection's request timeout (long polls); 0 waits for ever. */
  timeoutMs?: number;
}

export class KafkaConnection {
  /** With recordFrames: every response frame received (without its size prefix), in order. */
  readonly frames: Buffer[] = [];
  private readonly matcher = new ResponseMatcher();
  private nextCorrelationId = 1;
  private corked: Buffer[] | null = null;
  private closedFlag = false;
  private readonly closedPromise: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    private readonly opts: ConnectionOptions,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    let socketError: Error | null = null;
    socket.on('error', (err) => {
      socketError ??= err; // reported when 'close' follows
    });
    this.closedPromise = new Promise<void>((resolve) => {
      socket.on('close', () => {
        this.closedFlag = true;
        const why = socketError ? `: ${socketError.message}` : '';
        this.matcher.failAll(
          (id) => new KafkaConnectionError(`${address}: connection closed before the response to correlation id ${id}${why}`),
        );
        resolve();
      });
    });
  }

  /** Connect to 'host:port'. */
  static connect(bootstrap: string, opts: ConnectionOptions = {}): Promise<KafkaConnection> {
    const i = bootstrap.lastIndexOf(':');
    return KafkaConnection.open(bootstrap.slice(0, i), Number(bootstrap.slice(i + 1)), opts);
  }

  static open(host: string, port: number, opts: ConnectionOptions = {}): Promise<KafkaConnection> {
    const address = `${host}:${port}`;
    const limit = opts.connectTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new KafkaConnectionError(`${address}: no connection within ${limit} ms`));
      }, limit);
      const onError = (err: Error) => {
        clearTimeout(timer);
        reject(new KafkaConnectionError(`cannot connect to ${address}: ${err.message}`));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new KafkaConnection(socket, address, opts));
      });
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Number of requests still waiting for a response. */
  get inFlight(): number {
    return this.matcher.inFlight;
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
    if (this.closedFlag) return Promise.reject(new KafkaConnectionError(`${this.address}: connection is closed`));
    const correlationId = opts.correlationId ?? this.nextCorrelationId++;
    const frame = requestFrame(api, version, body, {
      correlationId,
      clientId: opts.clientId === undefined ? (this.opts.clientId ?? 'kafkalite') : opts.clientId,
      headerVersion: opts.headerVersion,
      bodyVersion: opts.bodyVersion,
    });
    if (opts.expectResponse === false) {
      this.write(frame);
      return Promise.resolve({ correlationId, body: undefined as unknown as ResponseOf<A> });
    }
    const decode = responseDecoder(api, version, { responseVersion: opts.responseVersion, strict: this.opts.strict });
    return new Promise<Exchange<ResponseOf<A>>>((resolve, reject) => {
      const limit = opts.timeoutMs ?? this.opts.requestTimeoutMs ?? 0;
      let timer: NodeJS.Timeout | undefined;
      const handle = this.matcher.expect(correlationId, decode, (err, e) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(e!);
      });
      if (limit > 0) {
        timer = setTimeout(() => {
          handle.abandon();
          reject(new KafkaConnectionError(`${this.address}: no ${api.name} response within ${limit} ms`));
        }, limit);
      }
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

  /** Resolves when the connection closes (the broker closed it, or close()). */
  expectClose(): Promise<void> {
    return this.closedPromise;
  }

  /** Close the socket; requests still waiting are rejected. Resolves once it is closed. */
  close(): Promise<void> {
    if (!this.closedFlag) this.socket.destroy();
    return this.closedPromise;
  }

  private write(bytes: Buffer): void {
    if (this.corked) this.corked.push(bytes);
    else this.socket.write(bytes);
  }

  private onData(chunk: Buffer): void {
    try {
      const frames = this.matcher.push(chunk);
      if (this.opts.recordFrames) this.frames.push(...frames);
    } catch (err) {
      // A size prefix that cannot be followed: nothing after it can be matched.
      this.socket.destroy(err as Error);
    }
  }
}
