// A raw TCP client socket for the connection-limit tests (limits*.test.ts): what it received, and
// whether and when the broker closed it. Nothing is parsed: the tests write request frames and
// watch bytes arrive (served) or not (held), or the close (refused).

import { connect, type Socket } from 'node:net';
import { ApiVersions } from '../../protocol/messages/index.js';
import { requestFrame } from './wire-client.js';

export interface Raw {
  socket: Socket;
  /** Bytes received so far. */
  received: () => number;
  closed: Promise<void>;
  isClosed: () => boolean;
}

/** Connects to `bootstrap` ('host:port'), from `localAddress` when given; resolves once connected. */
export async function openRaw(bootstrap: string, localAddress?: string): Promise<Raw> {
  const [host, port] = bootstrap.split(':');
  const socket = connect({ host: host!, port: Number(port), ...(localAddress ? { localAddress } : {}) });
  let bytes = 0;
  let done = false;
  socket.on('data', (d) => (bytes += d.length));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      done = true;
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => bytes, closed, isClosed: () => done };
}

/** Resolves once `cond` holds, polled every 5 ms (real time: for a broker not on a virtual clock). */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

let correlation = 1;
/** The next correlation id of these sockets' requests. */
export const nextCorrelationId = () => correlation++;
/** An ApiVersions v0 request frame, each with the next correlation id. */
export const apiVersions = () => requestFrame(ApiVersions, 0, {}, { correlationId: nextCorrelationId(), clientId: 'limits' });

/** Sends ApiVersions; resolves 'answered' or 'closed' (whichever the broker does first). */
export async function ask(r: Raw): Promise<'answered' | 'closed'> {
  const before = r.received();
  r.socket.write(apiVersions());
  await until(() => r.received() > before || r.isClosed());
  return r.received() > before ? 'answered' : 'closed';
}
