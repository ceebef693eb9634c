// What Kafka 4.4's AbstractRequest.getErrorResponse puts in the answer to each request, by api key:
// clients/src/main/java/org/apache/kafka/common/requests/<Api>Request.java, getErrorResponse. Most
// echo what the request named (topics, partitions, groups, resources) with the error; they differ in
// which message they carry: the exception's (ApiError.message(), here `e.apiMessage`: "Unexpected
// Kafka request of type <API> during SASL authentication.") or the error's default (Errors.message(),
// `e.errorMessage`: "Request is not valid given the current SASL state."), or none. A few throw on a
// request they do not expect (a NullPointerException on a null the schema allows): their entry
// returns null, and the authentication fails without an answer. An api key not listed answers
// with the response's defaults and the top-level error code (refusal.ts).
// test/integration/sasl-refusals-all-apis.test.ts compares every API and version with Kafka's own
// classes.

type Body = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: one table reads every API's decoded request; each entry reads its own schema's fields.
type Req = Record<string, any>;
export interface RefusalError {
  code: number;
  apiMessage: string;
  errorMessage: string;
}
/** The response body, or null where Kafka's getErrorResponse throws (no answer, only the close). */
type Build = (req: Req, version: number, e: RefusalError) => Body | null;

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
const EMPTY = Buffer.alloc(0);
const list = <T>(x: T[] | null | undefined): T[] => x ?? [];

/** Java's String.hashCode (UTF-16 code units, int arithmetic). */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's Uuid.hashCode: the xor of its four 32-bit words. */
function javaUuidHash(base64url: string): number {
  const b = Buffer.from(base64url, 'base64url');
  if (b.length !== 16) return 0;
  return b.readInt32BE(0) ^ b.readInt32BE(4) ^ b.readInt32BE(8) ^ b.readInt32BE(12);
}

/**
 * The iteration order of a java.util.HashMap filled with `keys` in order (equal keys merged at their
 * first place): by bucket (the spread hash masked to the table size, 16 doubled while more than 3/4
 * full), then within a bucket by insertion for put(), newest first for compute(), which puts a new
 * key at the head of its bucket (ProduceRequest.partitionSizes is built with compute()).
 */
function javaHashMapOrder<K>(keys: K[], id: (k: K) => string, hash: (k: K) => number, by: 'put' | 'compute' = 'put'): K[] {
  const seen = new Map<string, { key: K; h: number; at: number }>();
  for (const k of keys) if (!seen.has(id(k))) seen.set(id(k), { key: k, h: hash(k), at: seen.size });
  let capacity = 16;
  while (seen.size > capacity * 0.75) capacity *= 2;
  const bucket = (h: number) => (h ^ (h >>> 16)) & (capacity - 1);
  const within = by === 'put' ? 1 : -1;
  return [...seen.values()].sort((a, b) => bucket(a.h) - bucket(b.h) || within * (a.at - b.at)).map((x) => x.key);
}

/**
 * ProduceRequest.getErrorResponse: each distinct partition, in partitionSizes' HashMap order.
 * partitionSizes sums each partition's records().sizeInBytes(): null records throw.
 */
const produce: Build = (req, version, e) => {
  type TP = { name: string; topicId: string; index: number };
  const tps: TP[] = [];
  for (const t of list<Req>(req.topicData)) {
    for (const p of list<Req>(t.partitionData)) {
      if (p.records === null) return null;
      tps.push({ name: t.name ?? '', topicId: t.topicId ?? ZERO_UUID, index: p.index });
    }
  }
  // TopicIdPartition.hashCode: 31 * (31 + topicId.hashCode()) + TopicPartition.hashCode(), the latter 31 * (31 + partition) + topic.hashCode().
  const ordered = javaHashMapOrder(
    tps,
    (tp) => `${tp.topicId}\u0000${tp.index}\u0000${tp.name}`,
    (tp) => (Math.imul(31, (31 + javaUuidHash(tp.topicId)) | 0) + ((Math.imul(31, (31 + tp.index) | 0) + javaStringHash(tp.name)) | 0)) | 0,
    'compute',
  );
  const responses: Array<{ name: string; topicId: string; partitionResponses: Body[] }> = [];
  for (const tp of ordered) {
    let topic = responses.find((r) => r.name === tp.name && r.topicId === tp.topicId);
    if (!topic) {
      topic = { name: tp.name, topicId: tp.topicId, partitionResponses: [] };
      responses.push(topic);
    }
    topic.partitionResponses.push({
      index: tp.index,
      errorCode: e.code,
      baseOffset: -1,
      logAppendTimeMs: -1,
      logStartOffset: -1,
      recordErrors: [],
      errorMessage: version >= 8 ? e.apiMessage : null,
    });
  }
  return { responses };
};

/** Java's Long.hashCode: the xor of its two 32-bit halves. */
function javaLongHash(v: number): number {
  const b = BigInt.asUintN(64, BigInt(v));
  return Number(BigInt.asIntN(32, b ^ (b >> 32n)));
}

/**
 * WriteTxnMarkersRequest.getErrorResponse: a HashMap by producer id (a repeated id keeps its first
 * place and takes the last marker's partitions), each a HashMap by TopicPartition, turned by
 * WriteTxnMarkersResponse's constructor into a HashMap of topics by name.
 */
const writeTxnMarkers: Build = (req, _v, e) => {
  const byProducer = new Map<number, Req>();
  for (const m of list<Req>(req.markers)) byProducer.set(m.producerId, m);
  const producers = javaHashMapOrder([...byProducer.keys()], String, javaLongHash);
  return {
    markers: producers.map((producerId) => {
      type TP = { name: string; partition: number };
      const tps = list<Req>(byProducer.get(producerId)!.topics).flatMap((t) =>
        list<number>(t.partitionIndexes).map((partition): TP => ({ name: t.name, partition })),
      );
      const orderedTps = javaHashMapOrder(
        tps,
        (tp) => `${tp.partition}\u0000${tp.name}`,
        (tp) => (Math.imul(31, (31 + tp.partition) | 0) + javaStringHash(tp.name)) | 0,
      );
      const names = javaHashMapOrder(
        orderedTps.map((tp) => tp.name),
        (n) => n,
        javaStringHash,
      );
      return {
        producerId,
        topics: names.map((name) => ({
          name,
          partitions: orderedTps.filter((tp) => tp.name === name).map((tp) => ({ partitionIndex: tp.partition, errorCode: e.code })),
        })),
      };
    }),
  };
};

/** Each named group: `{ groupId, errorCode }` plus `extra`. */
const groupsOf =
  (from: string, to: string, extra: (e: RefusalError) => Body = () => ({})): Build =>
  (req, _v, e) => ({ [to]: list<string>(req[from]).map((groupId) => ({ groupId, errorCode: e.code, ...extra(e) })) });

/** Each resource: `{ resourceType, resourceName, errorCode, errorMessage }`. */
const resourcesOf =
  (to: string, message: (e: RefusalError) => string) =>
  (req: Req, _v: number, e: RefusalError): Body => ({
    [to]: list<Req>(req.resources).map((r) => ({
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      errorCode: e.code,
      errorMessage: message(e),
    })),
  });

/** Each share-state topic by id, each partition with the error (and `message` when given). */
const shareStateOf =
  (message: (e: RefusalError) => string | null): Build =>
  (req, _v, e) => ({
    results: list<Req>(req.topics).map((t) => ({
      topicId: t.topicId,
      partitions: list<Req>(t.partitions).map((p) => ({ partition: p.partition, errorCode: e.code, errorMessage: message(e) })),
    })),
  });

const topMessage =
  (message: (e: RefusalError) => string, more: Body = {}): Build =>
  (_req, _v, e) => ({ errorMessage: message(e), ...more });
const api = (e: RefusalError) => e.apiMessage;
const err = (e: RefusalError) => e.errorMessage;

export const REFUSAL_BODIES: Readonly<Record<number, Build>> = {
  0: produce,
  1: (req, version, e) => ({
    sessionId: req.sessionId ?? 0,
    responses:
      version >= 13
        ? []
        : list<Req>(req.topics).map((t) => ({
            topic: t.topic,
            topicId: t.topicId,
            partitions: list<Req>(t.partitions).map((p) => ({
              partitionIndex: p.partition,
              errorCode: e.code,
              highWatermark: -1,
              records: EMPTY,
            })),
          })),
  }),
  2: (req, version, e) => ({
    topics: list<Req>(req.topics).map((t) => ({
      name: t.name,
      partitions: list<Req>(t.partitions).map((p) => ({
        partitionIndex: p.partitionIndex,
        errorCode: e.code,
        ...(version === 0 ? { oldStyleOffsets: [] } : { offset: -1, timestamp: -1 }),
      })),
    })),
  }),
  3: (req, _v, e) => ({
    topics: list<Req>(req.topics).map((t) => ({
      name: t.name ?? '',
      topicId: t.topicId,
      errorCode: e.code,
      isInternal: false,
      partitions: [],
    })),
  }),
  8: (req, _v, e) => ({
    topics: list<Req>(req.topics).map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitions: list<Req>(t.partitions).map((p) => ({ partitionIndex: p.partitionIndex, errorCode: e.code })),
    })),
  }),
  9: (req, version, e) =>
    version >= 2 && version < 8
      ? {}
      : version >= 8
        ? { groups: list<Req>(req.groups).map((g) => ({ groupId: g.groupId, topics: [], errorCode: e.code })) }
        : {
            topics: list<Req>(req.topics).map((t) => ({
              name: t.name,
              partitions: list<number>(t.partitionIndexes).map((partitionIndex) => ({
                partitionIndex,
                committedOffset: -1,
                committedLeaderEpoch: -1,
                metadata: '',
                errorCode: e.code,
              })),
            })),
          },
  10: (req, version, e) =>
    version >= 4
      ? {
          errorCode: 0,
          coordinators: list<string>(req.coordinatorKeys).map((key) => ({
            key,
            nodeId: -1,
            host: '',
            port: -1,
            errorCode: e.code,
            errorMessage: e.errorMessage,
          })),
        }
      : { errorMessage: e.errorMessage, nodeId: -1, host: '', port: -1 },
  11: (_req, version) => ({ protocolName: version >= 7 ? null : '' }),
  15: groupsOf('groups', 'groups', () => ({ errorMessage: null, groupState: '', protocolType: '', protocolData: '', members: [] })),
  19: (req, _v, e) => ({
    topics: list<Req>(req.topics).map((t) => ({
      name: t.name,
      errorCode: e.code,
      errorMessage: e.apiMessage,
      numPartitions: -1,
      replicationFactor: -1,
    })),
  }),
  20: (req, version, e) => ({
    responses: (version >= 6 ? list<Req>(req.topics) : list<string>(req.topicNames).map((name) => ({ name, topicId: ZERO_UUID }))).map(
      (t) => ({ name: t.name, topicId: t.topicId, errorCode: e.code, errorMessage: null }),
    ),
  }),
  21: (req, _v, e) => ({
    topics: list<Req>(req.topics).map((t) => ({
      name: t.name,
      partitions: list<Req>(t.partitions).map((p) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: e.code })),
    })),
  }),
  22: () => ({ producerId: -1, producerEpoch: -1 }),
  23: (req, _v, e) => ({
    topics: list<Req>(req.topics).map((t) => ({
      topic: t.topic,
      partitions: list<Req>(t.partitions).map((p) => ({ errorCode: e.code, partition: p.partition, leaderEpoch: -1, endOffset: -1 })),
    })),
  }),
  24: (req, version, e) =>
    version >= 4
      ? {}
      : {
          errorCode: 0,
          resultsByTopicV3AndBelow: list<Req>(req.v3AndBelowTopics).map((t) => ({
            name: t.name,
            resultsByPartition: list<number>(t.partitions).map((partitionIndex) => ({ partitionIndex, partitionErrorCode: e.code })),
          })),
        },
  27: writeTxnMarkers,
  28: (req, _v, e) => ({
    topics: list<Req>(req.topics).map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitions: list<Req>(t.partitions).map((p) => ({ partitionIndex: p.partitionIndex, errorCode: e.code })),
    })),
  }),
  29: topMessage(api),
  30: (req, _v, e) => ({ results: list(req.creations).map(() => ({ errorCode: e.code, errorMessage: e.apiMessage })) }),
  31: (req, _v, e) => ({
    filterResults: list(req.filters).map(() => ({ errorCode: e.code, errorMessage: e.apiMessage, matchingAcls: [] })),
  }),
  32: (req, v, e) => ({ results: (resourcesOf('results', err)(req, v, e).results as Body[]).map((r) => ({ ...r, configs: [] })) }),
  33: resourcesOf('responses', api),
  34: (req, _v, e) => ({
    results: list<Req>(req.dirs).flatMap((d) =>
      list<Req>(d.topics).map((t) => ({
        topicName: t.name,
        partitions: list<number>(t.partitions).map((partitionIndex) => ({ partitionIndex, errorCode: e.code })),
      })),
    ),
  }),
  36: topMessage(api),
  37: (req, _v, e) => ({ results: list<Req>(req.topics).map((t) => ({ name: t.name, errorCode: e.code, errorMessage: e.apiMessage })) }),
  38: (_req, version) => ({
    principalType: 'User',
    principalName: 'ANONYMOUS',
    ...(version >= 3 ? { tokenRequesterPrincipalType: 'User', tokenRequesterPrincipalName: 'ANONYMOUS' } : {}),
    issueTimestampMs: -1,
    expiryTimestampMs: -1,
    maxTimestampMs: -1,
  }),
  42: groupsOf('groupsNames', 'results', () => ({ errorMessage: null })),
  43: (req, _v, e) => ({
    replicaElectionResults: list<Req>(req.topicPartitions).map((t) => ({
      topic: t.topic,
      partitionResult: list<number>(t.partitions).map((partitionId) => ({ partitionId, errorCode: e.code, errorMessage: e.apiMessage })),
    })),
  }),
  44: resourcesOf('responses', api),
  45: (req, _v, e) => ({
    errorMessage: e.apiMessage,
    responses: list<Req>(req.topics).map((t) => ({
      name: t.name,
      partitions: list<Req>(t.partitions).map((p) => ({ partitionIndex: p.partitionIndex, errorCode: e.code, errorMessage: e.apiMessage })),
    })),
  }),
  46: (req, _v, e) => ({
    errorMessage: e.apiMessage,
    topics: list<Req>(req.topics).map((t) => ({
      name: t.name,
      partitions: list<number>(t.partitionIndexes).map((partitionIndex) => ({
        partitionIndex,
        replicas: [],
        addingReplicas: [],
        removingReplicas: [],
      })),
    })),
  }),
  48: topMessage(api, { entries: null }),
  49: (req, _v, e) => ({
    entries: list<Req>(req.entries).map((x) => ({
      errorCode: e.code,
      errorMessage: e.errorMessage,
      entity: list<Req>(x.entity).map((n) => ({ entityType: n.entityType, entityName: n.entityName })),
    })),
  }),
  // One result per user named; null users (all of them) throw: getErrorResponse iterates data.users().
  50: (req, _v, e) =>
    req.users === null
      ? null
      : {
          errorMessage: e.apiMessage,
          results: list(req.users).map(() => ({ user: '', errorCode: e.code, errorMessage: e.apiMessage, credentialInfos: [] })),
        },
  51: (req, _v, e) => {
    const users = [...new Set([...list<Req>(req.deletions), ...list<Req>(req.upsertions)].map((u) => u.name as string))].sort();
    return { results: users.map((user) => ({ user, errorCode: e.code, errorMessage: e.apiMessage })) };
  },
  55: topMessage(err),
  57: topMessage(api),
  60: topMessage(api),
  61: (req, _v, e) => ({
    topics: list<Req>(req.topics).map((t) => ({
      name: t.name,
      partitions: list<number>(t.partitionIndexes).map((partitionIndex) => ({ partitionIndex, errorCode: e.code, errorMessage: null })),
    })),
  }),
  64: topMessage(api),
  65: (req, _v, e) => ({
    transactionStates: list<string>(req.transactionalIds).map((transactionalId) => ({ errorCode: e.code, transactionalId })),
  }),
  69: groupsOf('groupIds', 'groups', () => ({ errorMessage: null })),
  75: (req, _v, e) => ({
    topics: list<Req>(req.topics).map((t) => ({ errorCode: e.code, name: t.name, isInternal: false, partitions: [] })),
  }),
  77: groupsOf('groupIds', 'groups', () => ({ errorMessage: null })),
  80: topMessage(err),
  81: topMessage(err),
  83: shareStateOf(() => null),
  84: shareStateOf(err),
  85: shareStateOf(err),
  86: shareStateOf(() => null),
  87: shareStateOf(err),
  89: groupsOf('groupIds', 'groups', () => ({ errorMessage: null })),
  90: (req, _v, e) => ({
    groups: list<Req>(req.groups).map((g) => ({ groupId: g.groupId, topics: [], errorCode: e.code, errorMessage: e.apiMessage })),
  }),
  91: topMessage(err),
  92: topMessage(err),
  93: topMessage(api),
  94: topMessage(api),
};
