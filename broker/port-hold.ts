// Keeps a down node's port (broker/testkit/topology.ts) from being taken while the node is down,
// and keeps it refusing connections as a stopped Kafka broker's port does.
//
// A simulated node listening on port 0 got an ephemeral port (net.ipv4.ip_local_port_range).
// Once its listener closes, the kernel may hand that port to any outgoing connection as its
// source port (a client reconnecting to the node itself, in a TCP self-connect, or any other
// process), and up() then fails with EADDRINUSE. Node cannot bind a TCP socket without
// listening, and a listening socket would accept (the handshake completes in the backlog), so
// the port is held by a loopback connection whose local end is bound to it: a client's SYN to
// the port matches no listening socket and is refused (RST), and the kernel skips explicitly
// bound ports when it picks a source port (Linux __inet_hash_connect). The hold's socket is
// bound with SO_REUSEADDR (libuv sets it on every bind), as the listener is, so listening again
// once it is released does not conflict with it, nor with its TIME_WAIT.

import { connect, createServer, isIP, type Socket } from 'node:net';

/** A port held by a connection, until release(). */
export interface PortHold {
  release(): Promise<void>;
}

/** Where the hold's peer listens: the bind address itself, or loopback for a wildcard. */
function peerHost(bindHost: string): string {
  if (bindHost === '0.0.0.0' || bindHost === '') return '127.0.0.1';
  if (bindHost === '::') return '::1';
  return bindHost;
}

/** Hold `port` on `bindHost` (the address the listener bound); rejects if the port cannot be bound. */
export async function holdPort(bindHost: string, port: number): Promise<PortHold> {
  const host = peerHost(bindHost);
  // The peer accepts one connection and stops listening: the hold is then the two sockets only.
  const peer = createServer();
  const accepted = new Promise<Socket>((resolve) => peer.once('connection', resolve));
  await new Promise<void>((resolve, reject) => {
    peer.once('error', reject);
    peer.listen({ host, port: 0, exclusive: true }, () => resolve());
  });
  const peerPort = (peer.address() as { port: number }).port;
  let local: Socket;
  let remote: Socket;
  try {
    local = await new Promise<Socket>((resolve, reject) => {
      const localAddress = isIP(bindHost) ? bindHost : undefined;
      const s = connect({ host, port: peerPort, localAddress, localPort: port });
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
    });
    remote = await accepted;
  } finally {
    peer.close();
  }
  for (const s of [local, remote]) {
    s.on('error', () => {});
    s.pause();
  }
  const held = local;
  return {
    async release() {
      // A reset leaves no TIME_WAIT on the held port.
      const closed = new Promise<void>((resolve) => held.once('close', () => resolve()));
      held.resetAndDestroy();
      remote.destroy();
      await closed;
    },
  };
}
