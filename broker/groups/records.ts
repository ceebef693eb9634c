// The coordinator's records as typed values, and their bytes in `__consumer_offsets` (Kafka's
// GroupCoordinatorRecordHelpers; schemas in protocol/messages/group-records.ts). Pure: no I/O, no
// state.
//
// Written as Kafka 4.4 does: OffsetCommitKey v1 + OffsetCommitValue v4 with the topic's id (v1
// when the commit carried an expire timestamp; GroupCoordinatorRecordHelpers.newOffsetCommitRecord), GroupMetadataKey v2 + GroupMetadataValue v3, and a null value
// (tombstone) to delete. Read: every key and value version; key versions this coordinator does
// not handle come back as 'other'. KIP-932 share group records (10-15) are in share/records.ts. KIP-848 consumer group records (key
// versions 3-8) are encoded and decoded by consumer-group-records.ts, KIP-1071 streams group
// records (17, 19-23) by streams/records.ts.

import {
  GroupMetadataKey,
  GroupMetadataValue,
  OffsetCommitKey,
  OffsetCommitValue,
  RecordKeyVersion,
  decodeVersioned,
  encodeVersioned,
} from '../../protocol/messages/group-records.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import type { Infer } from '../../protocol/schema.js';
import {
  decodeConsumerGroupRecord,
  encodeConsumerGroupRecord,
  isConsumerGroupKeyVersion,
  isConsumerGroupRecord,
  type ConsumerGroupRecord,
} from './consumer-group-records.js';
import type { OffsetAndMetadata } from './offsets.js';
import {
  decodeStreamsGroupRecord,
  encodeStreamsGroupRecord,
  isStreamsGroupKeyVersion,
  isStreamsGroupRecord,
  type StreamsGroupRecord,
} from './streams/records.js';
import {
  decodeShareGroupRecord,
  encodeShareGroupRecord,
  isShareGroupKeyVersion,
  isShareGroupRecord,
  type ShareGroupRecord,
} from './share/records.js';

export type GroupMetadata = Infer<(typeof GroupMetadataValue)['fields']>;

export interface OffsetCommitRecord {
  kind: 'offset';
  group: string;
  topic: string;
  partition: number;
  /** null: tombstone (offset deleted or expired). */
  value: OffsetAndMetadata | null;
  /** The topic's id when known (written in OffsetCommitValue v4); absent or zero: not written. */
  topicId?: string;
}

export interface GroupMetadataRecord {
  kind: 'group';
  group: string;
  /** null: tombstone (group deleted). */
  value: GroupMetadata | null;
}

/** A record of a kind this coordinator does not replay (yet). */
export interface OtherRecord {
  kind: 'other';
  keyVersion: number;
}

export type CoordinatorRecord = OffsetCommitRecord | GroupMetadataRecord | ConsumerGroupRecord | StreamsGroupRecord | ShareGroupRecord;

/** Value versions written, as Kafka's MetadataVersion picks them today. */
export const OFFSET_VALUE_VERSION = 4;
export const OFFSET_VALUE_VERSION_WITH_EXPIRY = 1;
export const GROUP_VALUE_VERSION = 3;

export function encodeRecord(rec: CoordinatorRecord): { key: Buffer; value: Buffer | null } {
  if (isConsumerGroupRecord(rec)) return encodeConsumerGroupRecord(rec);
  if (isStreamsGroupRecord(rec)) return encodeStreamsGroupRecord(rec);
  if (isShareGroupRecord(rec)) return encodeShareGroupRecord(rec);
  if (rec.kind === 'offset') {
    const key = encodeVersioned(OffsetCommitKey, RecordKeyVersion.OFFSET_COMMIT, {
      group: rec.group,
      topic: rec.topic,
      partition: rec.partition,
    });
    if (rec.value === null) return { key, value: null };
    const v = rec.value;
    const version = v.expireTimestamp !== null ? OFFSET_VALUE_VERSION_WITH_EXPIRY : OFFSET_VALUE_VERSION;
    const value = encodeVersioned(OffsetCommitValue, version, {
      offset: v.offset,
      leaderEpoch: v.leaderEpoch,
      metadata: v.metadata,
      commitTimestamp: v.commitTimestamp,
      expireTimestamp: v.expireTimestamp ?? -1,
      topicId: rec.topicId ?? ZERO_UUID,
    });
    return { key, value };
  }
  const key = encodeVersioned(GroupMetadataKey, RecordKeyVersion.GROUP_METADATA, { group: rec.group });
  return { key, value: rec.value === null ? null : encodeVersioned(GroupMetadataValue, GROUP_VALUE_VERSION, rec.value) };
}

/** Decode one `__consumer_offsets` record (throws ProtocolDecodeError on malformed bytes). */
export function decodeRecord(key: Buffer, value: Buffer | null): CoordinatorRecord | OtherRecord {
  const keyVersion = key.length >= 2 ? key.readInt16BE(0) : -1;
  if (keyVersion === RecordKeyVersion.OFFSET_COMMIT_V0 || keyVersion === RecordKeyVersion.OFFSET_COMMIT) {
    const k = decodeVersioned(OffsetCommitKey, key).value;
    let v: OffsetAndMetadata | null = null;
    if (value !== null) {
      const d = decodeVersioned(OffsetCommitValue, value, { newerAsLatest: true }).value;
      v = {
        offset: d.offset,
        leaderEpoch: d.leaderEpoch,
        metadata: d.metadata,
        commitTimestamp: d.commitTimestamp,
        expireTimestamp: d.expireTimestamp === -1 ? null : d.expireTimestamp,
      };
    }
    const topicId = value !== null ? decodeVersioned(OffsetCommitValue, value, { newerAsLatest: true }).value.topicId : ZERO_UUID;
    return {
      kind: 'offset',
      group: k.group,
      topic: k.topic,
      partition: k.partition,
      value: v,
      ...(topicId !== ZERO_UUID ? { topicId } : {}),
    };
  }
  if (keyVersion === RecordKeyVersion.GROUP_METADATA) {
    const k = decodeVersioned(GroupMetadataKey, key).value;
    const v = value === null ? null : decodeVersioned(GroupMetadataValue, value, { newerAsLatest: true }).value;
    return { kind: 'group', group: k.group, value: v };
  }
  if (isConsumerGroupKeyVersion(keyVersion)) return decodeConsumerGroupRecord(keyVersion, key, value);
  if (isStreamsGroupKeyVersion(keyVersion)) return decodeStreamsGroupRecord(keyVersion, key, value);
  if (isShareGroupKeyVersion(keyVersion)) return decodeShareGroupRecord(keyVersion, key, value);
  return { kind: 'other', keyVersion };
}

/** The Java string hash and key -> partition mapping live in broker/internal-topic.ts (shared with `__transaction_state`). */
export { javaStringHashCode, partitionFor } from '../internal-topic.js';
