// N idle client connections to a broker: each connects and has one ApiVersions v0 answered, then
// all sit; the broker's RSS and CPU while they sit.

import { KafkaConnection } from '../../../bin/client/connection.js';
import { ApiVersions } from '../../../protocol/messages/18-api-versions.js';
import { cpuSeconds, round, rssKiB } from '../stats.js';

export interface IdleResult {
  connections: number;
  opened: number;
  rssBeforeMiB: number | null;
  rssWithMiB: number | null;
  /** Broker CPU seconds while the connections sat for `sitSeconds`. */
  cpuSecondsSitting: number | null;
  sitSeconds: number;
  openSeconds: number;
  error?: string;
}

export async function idleConnections(bootstrap: string, pid: number, n: number, sitSeconds: number): Promise<IdleResult> {
  const mib = () => {
    const r = rssKiB(pid);
    return r ? round(r.rssKiB / 1024, 1) : null;
  };
  const rssBeforeMiB = mib();
  const conns: KafkaConnection[] = [];
  const t0 = performance.now();
  let error: string | undefined;
  try {
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, async () => {
          const c = await KafkaConnection.connect(bootstrap, { clientId: 'kafkalite-bench-idle' });
          conns.push(c);
          await c.send(ApiVersions, 0, {} as never);
          return c;
        }),
      );
      void batch;
    }
  } catch (e) {
    error = (e as Error).message;
  }
  const openSeconds = round((performance.now() - t0) / 1000, 2);
  await new Promise((r) => setTimeout(r, 1000));
  const cpu0 = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, sitSeconds * 1000));
  const cpu1 = cpuSeconds(pid);
  const rssWithMiB = mib();
  const opened = conns.filter((c) => !c.closed).length;
  await Promise.all(conns.map((c) => c.close()));
  return {
    connections: n,
    opened,
    rssBeforeMiB,
    rssWithMiB,
    cpuSecondsSitting: cpu0 !== null && cpu1 !== null ? round(cpu1 - cpu0, 3) : null,
    sitSeconds,
    openSeconds,
    error,
  };
}
