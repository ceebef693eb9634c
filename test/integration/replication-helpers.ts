// The shared set-up of replication.test.ts and replication-truncation.test.ts: one in-process 3-node
// broker with its control server and a raw wire client for the whole file, and a Fetch v12 of one
// partition as a consumer (replica id -1) sends it.

import { startBroker, type Broker, type BrokerOptions } from '../../broker/index.js';
import { startControlServer, type ControlServer } from '../../broker/control/index.js';
import { Fetch } from '../../protocol/messages/index.js';
import { FETCH_AT_ONCE, WireClient } from './wire-client.js';

export interface ReplicatedBroker {
  broker: Broker;
  control: ControlServer;
  client: WireClient;
}

/** A 3-node broker with `opts`, its control server, and a wire client on its bootstrap. */
export async function startReplicated(opts: BrokerOptions): Promise<ReplicatedBroker> {
  const broker = await startBroker({ nodes: 3, ...opts });
  const control = await startControlServer(broker);
  const client = await WireClient.connect(broker.bootstrap);
  return { broker, control, client };
}

export async function stopReplicated(r: Partial<ReplicatedBroker>): Promise<void> {
  await r.client?.close();
  await r.control?.close();
  await r.broker?.stop();
}

/** Fetch v12 of partition 0 of `topic` from `fetchOffset` (no wait, no session); its one partition's answer. */
export async function fetchPartition0(
  c: WireClient,
  topic: string,
  fetchOffset: number,
  epochs: { currentLeaderEpoch?: number; lastFetchedEpoch?: number } = {},
) {
  const res = await c.send(Fetch, 12, {
    replicaId: -1,
    ...FETCH_AT_ONCE,
    topics: [
      {
        topic,
        partitions: [
          {
            partition: 0,
            currentLeaderEpoch: epochs.currentLeaderEpoch ?? -1,
            fetchOffset,
            lastFetchedEpoch: epochs.lastFetchedEpoch ?? -1,
            logStartOffset: -1,
            partitionMaxBytes: 1 << 20,
          },
        ],
      },
    ],
    forgottenTopicsData: [],
    rackId: '',
  });
  return res.responses[0]!.partitions[0]!;
}
