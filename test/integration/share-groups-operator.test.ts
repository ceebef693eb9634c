// Share groups (KIP-932) on the operator surface: the HTTP API (/api/v1/groups, a share group's
// members and assignments, delivery's start offsets and in-flight counts), /metrics
// (kafkalite_share_group_members, kafkalite_share_partition_*, kafkalite_share_records), the test kit (waitFor.groupStable with a member count) and
// the CLI (`kafkalite groups list --type --state`, `groups describe` over ShareGroupDescribe).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { connectControl, startControlServer } from '../../broker/control/index.js';
import { ShareAcknowledge, ShareFetch } from '../../protocol/messages/index.js';
import { kafkalite, parsePrometheus, sampleValue } from './http-helpers.js';
import { SgMember, shareFetchBody } from './share-group-client.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 60_000 };
let broker: Broker;
let client: WireClient;
let owner: SgMember;
const members: SgMember[] = [];

before(async () => {
  broker = await startBroker({ http: { port: 0 }, topics: { orders: 3 }, config: { 'group.share.assignment.interval.ms': 0 } });
  client = await WireClient.connect(broker.bootstrap);
  for (let i = 0; i < 2; i++) members.push(new SgMember(client, 'ops', ['orders']));
  for (const m of members) await m.join();
  for (const m of members) await m.heartbeat();
  // Delivery on partition 0 (broker/share/): a first ShareFetch initialises it at the end of the log
  // (share.auto.offset.reset=latest), five records arrive, a second ShareFetch acquires them and
  // acknowledges none, so all five are in flight from start offset 0.
  owner = members.find((m) => m.assigned.some((t) => t.partitions.includes(0)))!;
  const topicId = broker.core.topics.get('orders')!.id;
  const shareFetch = (epoch: number) => client.send(ShareFetch, 1, shareFetchBody('ops', owner.memberId, epoch, topicId));
  assert.equal((await shareFetch(0)).errorCode, 0);
  broker.produce(
    'orders',
    [0, 1, 2, 3, 4].map((i) => ({ value: `r${i}`, partition: 0 })),
  );
  const got = await shareFetch(1);
  assert.deepEqual(
    got.responses[0]!.partitions[0]!.acquiredRecords.map((r) => [r.firstOffset, r.lastOffset]),
    [[0, 4]],
  );
});

after(async () => {
  await client.close();
  await broker.stop();
});

test('waitFor.groupStable counts share group members; the generation is the group epoch', T, async () => {
  const s = await broker.waitFor.groupStable('ops', { members: 2 });
  assert.equal(s.members, 2);
  assert.equal(s.generation, broker.core.shareGroups.group('ops')!.groupEpoch);
});

test('HTTP lists and describes a share group with members, assignments and delivery progress', T, async () => {
  const get = async (path: string) => (await fetch(`${broker.http!.url}/api/v1${path}`)).json() as Promise<Record<string, unknown>>;
  const list = (await get('/groups')) as unknown as { groups: Array<{ groupId: string; type: string; members: number; state: string }> };
  const listed = (list.groups ?? (list as unknown as typeof list.groups)).find((g) => g.groupId === 'ops');
  assert.deepEqual([listed?.type, listed?.members, listed?.state], ['share', 2, 'Stable']);
  const d = (await get('/groups/ops')) as {
    type: string;
    protocol: string;
    members: Array<{ memberId: string; assignment: Array<{ topic: string; partitions: number[] }> }>;
    shareProgress: unknown;
  };
  assert.equal(d.type, 'share');
  assert.equal(d.protocol, 'simple');
  assert.deepEqual(d.members.map((m) => m.memberId).sort(), members.map((m) => m.memberId).sort());
  assert.deepEqual(d.members.flatMap((m) => m.assignment.flatMap((a) => a.partitions)).sort(), [0, 1, 2]);
  assert.deepEqual(d.shareProgress, [{ topic: 'orders', partition: 0, startOffset: 0, inFlight: 5 }]);
});

test('/metrics has the share group members, start offsets, in-flight counts and record totals', T, async () => {
  const samples = parsePrometheus(await (await fetch(`${broker.http!.url}/metrics`)).text()).samples;
  assert.equal(sampleValue(samples, 'kafkalite_share_group_members', { group: 'ops' }), 2);
  const p0 = { group: 'ops', topic: 'orders', partition: '0' };
  assert.equal(sampleValue(samples, 'kafkalite_share_partition_start_offset', p0), 0);
  assert.equal(sampleValue(samples, 'kafkalite_share_partition_in_flight', p0), 5);
  assert.equal(sampleValue(samples, 'kafkalite_share_records', { state: 'inFlight' }), 5);
  assert.equal(sampleValue(samples, 'kafkalite_share_records', { state: 'acknowledged' }), 0);
});

test('waitFor.shareProgress, in process and over the control API, resolves on in-flight and acknowledged counts', T, async () => {
  const inFlight = await broker.waitFor.shareProgress('ops', { inFlight: 5 });
  assert.deepEqual(
    inFlight.map((p) => [p.topic, p.partition, p.startOffset, p.inFlight, p.acknowledged]),
    [['orders', 0, 0, 5, 0]],
  );
  await using server = await startControlServer(broker);
  const control = connectControl(server.url);
  // Waits while nothing is acknowledged; the acknowledgement of offsets 0-2 (accept) resolves it.
  const acked = control.waitFor.shareProgress!('ops', { acknowledged: 3 }, { timeoutMs: 10_000 }) as Promise<
    Array<{ startOffset: number; inFlight: number; acknowledged: number }>
  >;
  const topicId = broker.core.topics.get('orders')!.id;
  const ack = await client.send(ShareAcknowledge, 1, {
    groupId: 'ops',
    memberId: owner.memberId,
    shareSessionEpoch: 2,
    topics: [
      { topicId, partitions: [{ partitionIndex: 0, acknowledgementBatches: [{ firstOffset: 0, lastOffset: 2, acknowledgeTypes: [1] }] }] },
    ],
  });
  assert.equal(ack.errorCode, 0);
  assert.deepEqual(
    (await acked).map((p) => [p.startOffset, p.inFlight, p.acknowledged]),
    [[3, 2, 3]],
  );
});

test('kafkalite groups list --type --state and groups describe show the share group', T, async () => {
  const b = ['--bootstrap-server', broker.bootstrap];
  const list = await kafkalite(['groups', 'list', '--type', '--state', ...b]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ops\s+share\s+Stable$/m);
  // Start offsets and lag per share-partition (DescribeShareGroupOffsets), as kafka-share-groups --describe.
  const offsets = await kafkalite(['groups', 'describe', 'ops', ...b]);
  assert.equal(offsets.code, 0, offsets.stderr);
  assert.match(offsets.stdout, /GROUP\s+TOPIC\s+PARTITION\s+START-OFFSET\s+LOG-END-OFFSET\s+LAG\s+CONSUMER-ID/);
  // After the acknowledgement of 0-2 above: start offset 3, two records not yet delivered complete.
  assert.match(offsets.stdout, /^ops\s+orders\s+0\s+3\s+5\s+2\s+\S+$/m);
  const d = await kafkalite(['groups', 'describe', 'ops', '--members', ...b]);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, /GROUP\s+CONSUMER-ID\s+HOST\s+CLIENT-ID\s+ASSIGNMENT/);
  for (const m of members) assert.match(d.stdout, new RegExp(`^ops\\s+${m.memberId}\\s+\\S+\\s+wire-test\\s+orders\\(\\d(,\\d)*\\)$`, 'm'));
  await members[1]!.leave();
  const json = JSON.parse((await kafkalite(['groups', 'describe', 'ops', '--json', ...b])).stdout) as Array<{
    members: unknown[];
    offsets: Array<{ topic: string; partition: number; committed: number }>;
  }>;
  assert.equal(json[0]!.members.length, 1);
  assert.deepEqual(
    json[0]!.offsets.filter((o) => o.partition === 0).map((o) => [o.topic, o.committed]),
    [['orders', 3]],
  );
});
