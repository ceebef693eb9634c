// The bytes inside classic groups of protocol type "consumer" (Kafka's ConsumerProtocol), from Kafka's
// messages/ConsumerProtocolSubscription.json and ConsumerProtocolAssignment.json. Each is an
// int16 version followed by the struct; a newer version is parsed with the newest known
// format (fields are only ever appended). The JoinGroup protocol metadata is a subscription,
// the SyncGroup assignment an assignment. The coordinator only reads subscriptions (which
// topics a group is subscribed to, for OffsetDelete and offset expiry).
import { f, message, type Infer } from '../schema.js';
import { decodeVersioned } from './group-records.js';

export const ConsumerProtocolSubscription = message({
  name: 'ConsumerProtocolSubscription',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: {
    topics: f.array('0+', 'string'),
    userData: f.bytes('0+', { nullable: '0+', default: null }),
    ownedPartitions: f.array('1+', { topic: f.string('1+'), partitions: f.array('1+', 'int32') }, { ignorable: true }),
    generationId: f.int32('2+', { default: -1, ignorable: true }),
    rackId: f.string('3+', { nullable: '3+', default: null, ignorable: true }),
  },
});

export const ConsumerProtocolAssignment = message({
  name: 'ConsumerProtocolAssignment',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: {
    assignedPartitions: f.array('0+', { topic: f.string('0+'), partitions: f.array('0+', 'int32') }),
    userData: f.bytes('0+', { nullable: '0+', default: null }),
  },
});

export type ConsumerSubscription = Infer<(typeof ConsumerProtocolSubscription)['fields']>;
export type ConsumerAssignment = Infer<(typeof ConsumerProtocolAssignment)['fields']>;

/** Decode JoinGroup metadata of a "consumer" member (throws ProtocolDecodeError on bad bytes). */
export function decodeSubscription(bytes: Buffer): ConsumerSubscription {
  return decodeVersioned(ConsumerProtocolSubscription, bytes, { newerAsLatest: true }).value;
}

/** Decode a SyncGroup assignment of a "consumer" member. */
export function decodeAssignment(bytes: Buffer): ConsumerAssignment {
  return decodeVersioned(ConsumerProtocolAssignment, bytes, { newerAsLatest: true }).value;
}
