// A port bound at start whose fastify app is made at its first request (the lean start, issue 15):
// the HTTP server (lazy.ts) and the Schema Registry (broker/schema-registry/lazy.ts) of the CLI.
// Requests arriving while the app is made wait for it; later ones go straight to fastify, which
// gets this server through its serverFactory option and never listens itself.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;
/** fastify's serverFactory: takes fastify's request handler, returns the server (this one). */
export type ServerFactory = (handler: RequestHandler) => Server;

export interface Made<T> {
  value: T;
  close(): Promise<void>;
}

export class LazyPort<T> {
  private made: Made<T> | null = null;
  private handler: RequestHandler | null = null;
  private making: Promise<Made<T>> | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly server: Server,
    private readonly make: (factory: ServerFactory) => Promise<Made<T>>,
    private readonly log: Logger,
    private readonly what: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.handler) return this.handler(req, res);
      this.ensure().then(
        () => this.handler!(req, res),
        (err: unknown) => {
          if (!this.closing) this.log.error({ err }, `${this.what} failed to start`);
          res.statusCode = 503;
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ error: 'UNAVAILABLE', message: `${this.what} could not start; see the broker log` }));
        },
      );
    });
  }

  /** The app's value once made, else null. */
  get value(): T | null {
    return this.made?.value ?? null;
  }

  /** Make the app now (once; again after a failure). */
  ensure(): Promise<T> {
    if (this.made) return Promise.resolve(this.made.value);
    this.making ??= this.make((h) => {
      this.handler = h;
      return this.server;
    }).then(
      async (m) => {
        if (this.closing) {
          await m.close();
          throw new Error(`${this.what} closed`);
        }
        this.made = m;
        return m;
      },
      (err: unknown) => {
        this.making = null;
        this.handler = null;
        throw err;
      },
    );
    return this.making.then((m) => m.value);
  }

  /** Bind; resolves with the port bound. */
  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const m = this.made ?? (this.making ? await this.making.catch(() => null) : null);
    await m?.close();
    this.server.closeAllConnections();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** How a bound address is shown in URLs: loopback for a wildcard, brackets for IPv6. */
export function shownHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
}
