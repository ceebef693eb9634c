// TLS for SSL and SASL_SSL listeners (node:tls). Filled in by the TLS step.

import type { Server, Socket } from 'node:net';

/** Makes the server socket of one TLS listener; `accept` gets each socket once its handshake is done. */
export interface TlsServerFactory {
  createServer(accept: (socket: Socket, principal?: string) => void, where: { node: number; listener: string }): Server;
}
