// The records the group coordinator keeps in `__consumer_offsets` (read by Kafka's
// GroupCoordinatorRecordSerde), from Kafka's group-coordinator/{OffsetCommitKey,OffsetCommitValue,
// GroupMetadataKey,GroupMetadataValue}.json.
// On disk both key and value are an int16 schema version followed by the struct at that
// version; the key's version says what the record is (0-1 offset commit, 2 group metadata,
// 3+ KIP-848 / share groups). A null value is a tombstone.
//
// Kafka writes OffsetCommitKey v1 with OffsetCommitValue v3 (v1 when the commit carried an
// expire timestamp), and GroupMetadataKey v2 with GroupMetadataValue v3. Values from v4 on are
// flexible (only tagged fields may be added, KIP-915), so a reader meeting a newer value
// version decodes it with the newest version it knows.
import { codecFor } from '../codec.js';
import { ProtocolDecodeError } from '../errors.js';
import { Reader, Writer } from '../primitives.js';
import { f, message, type Fields, type Infer, type Input, type MessageSpec } from '../schema.js';

export const OffsetCommitKey = message({
  name: 'OffsetCommitKey',
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: {
    group: f.string('0-1'),
    topic: f.string('0-1'),
    partition: f.int32('0-1'),
  },
});

export const OffsetCommitValue = message({
  name: 'OffsetCommitValue',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: {
    offset: f.int64('0+'),
    leaderEpoch: f.int32('3+', { default: -1, ignorable: true }),
    metadata: f.string('0+'),
    commitTimestamp: f.int64('0+'),
    expireTimestamp: f.int64('1', { default: -1, ignorable: true }),
    // Kafka 4.4's OffsetCommitValue.json: the committed topic's id, tagged, absent when zero.
    topicId: f.uuid('4+', { tag: 0, tagged: '4+', ignorable: true }),
  },
});

export const GroupMetadataKey = message({
  name: 'GroupMetadataKey',
  validVersions: '2',
  flexibleVersions: 'none',
  fields: {
    group: f.string('2'),
  },
});

export const GroupMetadataValue = message({
  name: 'GroupMetadataValue',
  validVersions: '0-4',
  flexibleVersions: '4+',
  fields: {
    protocolType: f.string('0+'),
    generation: f.int32('0+'),
    protocol: f.string('0+', { nullable: '0+' }),
    leader: f.string('0+', { nullable: '0+' }),
    currentStateTimestamp: f.int64('2+', { default: -1, ignorable: true }),
    members: f.array('0+', {
      memberId: f.string('0+'),
      groupInstanceId: f.string('3+', { nullable: '3+', default: null, ignorable: true }),
      clientId: f.string('0+'),
      clientHost: f.string('0+'),
      rebalanceTimeout: f.int32('1+', { default: -1, ignorable: true }),
      sessionTimeout: f.int32('0+'),
      subscription: f.bytes('0+'),
      assignment: f.bytes('0+'),
    }),
  },
});

/** Key versions in `__consumer_offsets` (what a record is). */
export const RecordKeyVersion = Object.freeze({
  OFFSET_COMMIT_V0: 0,
  OFFSET_COMMIT: 1,
  GROUP_METADATA: 2,
} as const);

/** int16 version + the struct at that version (record keys/values, consumer protocol bytes). */
export function encodeVersioned<F extends Fields>(msg: MessageSpec<F>, version: number, value: Input<Infer<F>>): Buffer {
  const w = new Writer(128);
  w.int16(version);
  codecFor(msg, version).write(w, value);
  return w.toBuffer();
}

/**
 * Reads an int16 version and the struct after it. A version above the schema's newest is read
 * with the newest (`newerAsLatest`, as Kafka does for flexible record values and the consumer
 * protocol); otherwise it is an error.
 */
export function decodeVersioned<F extends Fields>(
  msg: MessageSpec<F>,
  buf: Buffer,
  opts: { newerAsLatest?: boolean } = {},
): { version: number; value: Infer<F> } {
  if (buf.length < 2) throw new ProtocolDecodeError(`${msg.name}: ${buf.length} bytes cannot hold a version`);
  const version = buf.readInt16BE(0);
  let readAs = version;
  if (version > msg.validVersions.max && opts.newerAsLatest) readAs = msg.validVersions.max;
  if (readAs < msg.validVersions.min || readAs > msg.validVersions.max) {
    throw new ProtocolDecodeError(`${msg.name}: unknown version ${version}`);
  }
  return { version, value: codecFor(msg, readAs).read(new Reader(buf, 2)) };
}
