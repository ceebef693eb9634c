// The share coordinator's records in `__share_group_state` (KIP-932), from Kafka 4.4's
// share-coordinator ShareSnapshot{Key,Value}.json and ShareUpdate{Key,Value}.json (in the
// kafka-share-coordinator jar). The key's int16 version prefix is its record type
// (CoordinatorRecordType: 0 snapshot, 1 update); keys are not flexible, values are v0, flexible,
// prefixed with their own version. A null value is a tombstone (state deleted).
import { f, message } from '../schema.js';

export const ShareRecordKeyVersion = Object.freeze({ SNAPSHOT: 0, UPDATE: 1 } as const);

const key = (name: string, v: string) =>
  message({
    name,
    validVersions: v,
    flexibleVersions: 'none',
    fields: { groupId: f.string(v), topicId: f.uuid(v), partition: f.int32(v) },
  });

const stateBatches = () =>
  f.array('0+', { firstOffset: f.int64('0+'), lastOffset: f.int64('0+'), deliveryState: f.int8('0+'), deliveryCount: f.int16('0+') });

export const ShareSnapshotKey = key('ShareSnapshotKey', '0');
export const ShareSnapshotValue = message({
  name: 'ShareSnapshotValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    snapshotEpoch: f.int32('0+'),
    stateEpoch: f.int32('0+'),
    leaderEpoch: f.int32('0+'),
    startOffset: f.int64('0+'),
    createTimestamp: f.int64('0+'),
    writeTimestamp: f.int64('0+'),
    stateBatches: stateBatches(),
    deliveryCompleteCount: f.int32('0+', { default: -1, tagged: '0+', tag: 0 }),
  },
});

export const ShareUpdateKey = key('ShareUpdateKey', '1');
export const ShareUpdateValue = message({
  name: 'ShareUpdateValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: {
    snapshotEpoch: f.int32('0+'),
    leaderEpoch: f.int32('0+'),
    startOffset: f.int64('0+'),
    stateBatches: stateBatches(),
    deliveryCompleteCount: f.int32('0+', { default: -1, tagged: '0+', tag: 0 }),
  },
});
