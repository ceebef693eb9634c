// Kafka 4.4's own share group tool (kafka-share-groups, org.apache.kafka.tools.consumer.group.
// ShareGroupCommand, through Kafka's Java Admin: ListGroups with the share type,
// ShareGroupDescribe, DeleteGroups) against share groups kafkalite runs, whose members join over
// the raw wire client: listing with states, members with their epochs and assignments, the
// group's state and member count, deleting (refused while members are active, then done, with
// core.shareGroups.onGroupDeleted telling delivery).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBroker, type Broker } from '../../broker/index.js';
import { kafkaTool, kafkaToolOk } from '../jvm/tools.js';
import { SgMember } from './share-group-client.js';
import { WireClient } from './wire-client.js';

const T = { timeout: 120_000 };
let broker: Broker;
let client: WireClient;
let b: string[];
const members: SgMember[] = [];

before(async () => {
  broker = await startBroker({ topics: { orders: 3 }, config: { 'group.share.assignment.interval.ms': 0 } });
  client = await WireClient.connect(broker.bootstrap);
  b = ['--bootstrap-server', broker.bootstrap];
  for (let i = 0; i < 2; i++) members.push(new SgMember(client, 'tool-sg', ['orders']));
  for (const m of members) await m.join();
  for (const m of members) await m.heartbeat();
});

after(async () => {
  await client.close();
  await broker.stop();
});

test('kafka-share-groups --list --state and --describe --state', T, async () => {
  const list = await kafkaToolOk('kafka-share-groups', [...b, '--list', '--state', 'stable']);
  assert.match(list.stdout, /^GROUP\s+STATE$/m);
  assert.match(list.stdout, /^tool-sg\s+Stable$/m);
  const state = await kafkaToolOk('kafka-share-groups', [...b, '--describe', '--group', 'tool-sg', '--state']);
  assert.match(state.stdout, /^tool-sg\s+\S+\s+\(1\)\s+Stable\s+2$/m);
});

test('kafka-share-groups --describe --members --verbose: ids, epochs, assignments', T, async () => {
  const out = (await kafkaToolOk('kafka-share-groups', [...b, '--describe', '--group', 'tool-sg', '--members', '--verbose'])).stdout;
  assert.match(out, /CONSUMER-ID\s+HOST\s+CLIENT-ID\s+#PARTITIONS\s+MEMBER-EPOCH\s+ASSIGNMENT/);
  const epoch = broker.core.shareGroups.group('tool-sg')!.groupEpoch;
  const seen: number[] = [];
  for (const m of members) {
    const row = out.split('\n').find((l) => l.includes(m.memberId));
    assert.ok(row, `member ${m.memberId} listed`);
    const [, count, memberEpoch, assignment] = row.match(/wire-test\s+(\d+)\s+(\d+)\s+orders:([\d,]+)$/)!;
    assert.equal(Number(memberEpoch), epoch);
    const parts = assignment!.split(',').map(Number);
    assert.equal(parts.length, Number(count));
    seen.push(...parts);
  }
  assert.deepEqual(seen.sort(), [0, 1, 2], 'every partition assigned once (3 partitions, 2 members)');
});

test('kafka-share-groups --delete: refused while members are active, then deleted and delivery told', T, async () => {
  const refused = await kafkaTool('kafka-share-groups', [...b, '--delete', '--group', 'tool-sg']);
  assert.match(refused.stdout + refused.stderr, /GroupNotEmptyException: Share group 'tool-sg' is not EMPTY\./);
  const deleted: string[] = [];
  broker.core.shareGroups.onGroupDeleted((g) => deleted.push(g));
  for (const m of members) await m.leave();
  const done = await kafkaToolOk('kafka-share-groups', [...b, '--delete', '--group', 'tool-sg']);
  assert.match(done.stdout, /Deletion of requested share groups \('tool-sg'\) was successful\./);
  assert.deepEqual(deleted, ['tool-sg']);
  assert.equal(broker.core.shareGroups.group('tool-sg'), undefined);
});
