// Coordinator placement (broker/coordinator-placement.ts) answers every question about which
// node coordinates a group or a transactional id: FindCoordinator, the test kit's
// coordinators.get/set, and the NOT_COORDINATOR checks of group and transaction requests
// agree with each other, follow pins, and say "none" when the coordinator's node is down.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { FindCoordinator, Heartbeat, InitProducerId } from '../../protocol/messages/index.js';
import { WireClient } from './wire-client.js';

const KEY_TYPE = { group: 0, transaction: 1 } as const;

describe('coordinator placement', () => {
  let broker: Broker;
  const clients: WireClient[] = [];
  const connect = async (address: string) => {
    const c = await WireClient.connect(address);
    clients.push(c);
    return c;
  };
  const nodeAddress = (nodeId: number) => broker.brokers[broker.core.cluster.nodes.findIndex((n) => n.nodeId === nodeId)]!;

  before(async () => {
    broker = await startBroker({ nodes: 3 });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await broker.stop();
  });

  /** FindCoordinator, asked of a live node. */
  async function find(type: 'group' | 'transaction', key: string) {
    const c = await connect(nodeAddress(broker.core.cluster.liveNodes()[0]!.nodeId));
    const res = await c.send(FindCoordinator, 4, { keyType: KEY_TYPE[type], coordinatorKeys: [key] });
    return res.coordinators[0]!;
  }

  /** The error a request about `key` gets at `nodeId`. */
  async function errorAt(type: 'group' | 'transaction', key: string, nodeId: number): Promise<number> {
    const c = await connect(nodeAddress(nodeId));
    if (type === 'group') {
      const res = await c.send(Heartbeat, 4, { groupId: key, generationId: 0, memberId: 'm', groupInstanceId: null });
      return res.errorCode === ErrorCode.UNKNOWN_MEMBER_ID ? ErrorCode.NONE : res.errorCode;
    }
    const res = await c.send(InitProducerId, 4, { transactionalId: key, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    return res.errorCode;
  }

  for (const type of ['group', 'transaction'] as const) {
    test(`${type}: FindCoordinator, coordinators.get and NOT_COORDINATOR agree, and follow a pin`, async () => {
      const key = `placement-${type}`;
      const placed = await find(type, key);
      assert.equal(placed.errorCode, ErrorCode.NONE);
      assert.equal(broker.coordinators.get(type, key), placed.nodeId);
      const ids = broker.core.cluster.nodes.map((n) => n.nodeId);
      for (const id of ids) assert.equal(await errorAt(type, key, id), id === placed.nodeId ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR);

      const other = ids.find((id) => id !== placed.nodeId)!;
      broker.coordinators.set(type, key, other);
      assert.equal((await find(type, key)).nodeId, other);
      assert.equal(broker.coordinators.get(type, key), other);
      assert.equal(await errorAt(type, key, other), ErrorCode.NONE);
      assert.equal(await errorAt(type, key, placed.nodeId), ErrorCode.NOT_COORDINATOR);

      // The pinned node down: nobody coordinates the key, and the others still say NOT_COORDINATOR.
      await broker.nodes.down(other);
      try {
        const none = await find(type, key);
        assert.equal(none.errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE);
        assert.equal(none.nodeId, -1);
        assert.equal(broker.coordinators.get(type, key), -1);
        assert.equal(await errorAt(type, key, placed.nodeId), ErrorCode.NOT_COORDINATOR);
      } finally {
        await broker.nodes.up(other);
        broker.coordinators.clear(type, key);
      }
      assert.equal((await find(type, key)).nodeId, placed.nodeId);
    });
  }
});
