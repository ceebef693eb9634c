// Per-group configs at work (broker/groups/group-configs.ts): a KIP-848 consumer group's members
// expire on the group's own consumer.session.timeout.ms and are told its
// consumer.heartbeat.interval.ms (the virtual clock drives the timers), another group keeps the
// broker's; the configs survive a restart of a disk-backed broker and outlive DeleteGroups.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker, type VirtualClock } from '../../broker/index.js';
import { ErrorCode } from '../../protocol/errors.js';
import { DeleteGroups, DescribeConfigs, IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import { CgMember, describeConsumerGroup } from './groups-kip848-client.js';
import { tempDir } from './helpers.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 30_000 };
const GROUP = 32;

function setGroupConfigs(admin: WireClient, group: string, configs: Record<string, string>) {
  return admin.send(IncrementalAlterConfigs, 1, {
    resources: [
      {
        resourceType: GROUP,
        resourceName: group,
        configs: Object.entries(configs).map(([name, value]) => ({ name, configOperation: 0, value })),
      },
    ],
    validateOnly: false,
  });
}

async function describeGroupConfigs(admin: WireClient, group: string, keys: string[]) {
  const res = await admin.send(DescribeConfigs, 4, {
    resources: [{ resourceType: GROUP, resourceName: group, configurationKeys: keys }],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  return Object.fromEntries(res.results[0]!.configs.map((c) => [c.name, [c.value, c.configSource]]));
}

test("a consumer group's members expire on its own session timeout and heartbeat at its own interval", T, async () => {
  const broker = await startBroker({ clock: 'virtual', topics: { t: 2 } });
  const clock = broker.clock as VirtualClock;
  const admin = await WireClient.connect(broker.bootstrap);
  const slow = await CgMember.connect(broker.bootstrap, 'slow');
  const plain = await CgMember.connect(broker.bootstrap, 'plain');
  try {
    const set = await setGroupConfigs(admin, 'slow', { 'consumer.session.timeout.ms': '60000', 'consumer.heartbeat.interval.ms': '8000' });
    assert.equal(set.responses[0]!.errorCode, 0);
    assert.equal((await slow.join()).heartbeatIntervalMs, 8000);
    assert.equal((await plain.join()).heartbeatIntervalMs, 5000);
    await clock.advance('50s');
    // 50 s of silence: past the broker's 45 s, within the group's 60 s.
    assert.equal((await describeConsumerGroup(admin, 'plain')).groupState, 'Empty');
    assert.equal((await describeConsumerGroup(admin, 'slow')).members.length, 1);
    await clock.advance('11s');
    assert.equal((await describeConsumerGroup(admin, 'slow')).groupState, 'Empty');
    assert.equal((await slow.heartbeat()).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  } finally {
    await Promise.all([slow.close(), plain.close(), admin.close()]);
    await broker.stop();
  }
});

test('group configs survive a restart and outlive DeleteGroups, as in Kafka 4.4', T, async () => {
  const dir = tempDir();
  try {
    let broker = await startBroker({ dataDir: dir.path, topics: { t: 1 } });
    let admin = await WireClient.connect(broker.bootstrap);
    await setGroupConfigs(admin, 'kept', { 'consumer.session.timeout.ms': '55000', 'share.auto.offset.reset': 'earliest' });
    const m = await CgMember.connect(broker.bootstrap, 'kept');
    await m.join();
    await m.leave();
    await m.close();
    assert.equal((await admin.send(DeleteGroups, 2, { groupsNames: ['kept'] })).results[0]!.errorCode, 0);
    await admin.close();
    await broker.stop();

    broker = await startBroker({ dataDir: dir.path });
    admin = await WireClient.connect(broker.bootstrap);
    try {
      assert.deepEqual(
        await describeGroupConfigs(admin, 'kept', ['consumer.session.timeout.ms', 'share.auto.offset.reset', 'share.session.timeout.ms']),
        {
          'consumer.session.timeout.ms': ['55000', 8],
          'share.auto.offset.reset': ['earliest', 8],
          'share.session.timeout.ms': ['45000', 5],
        },
      );
    } finally {
      await admin.close();
      await broker.stop();
    }
  } finally {
    dir.remove();
  }
});
