// Authorization of the requests Kafka refuses whole (one group or transactional id, one error
// code at the top of the response): a dispatcher interceptor, so their handlers stay as they
// are. Per-resource checks (topics in Produce/Fetch/Metadata, groups in OffsetFetch, ...) are in
// the handlers, through broker/security/authorizer/checks.ts. The rules, from Kafka's KafkaApis:
//   - JoinGroup, Heartbeat, LeaveGroup, SyncGroup, ConsumerGroupHeartbeat, StreamsGroupHeartbeat,
//     ShareGroupHeartbeat, ShareFetch, ShareAcknowledge: Read on the group
//     (GROUP_AUTHORIZATION_FAILED); OffsetCommit too, for every partition;
//   - AlterReplicaLogDirs: Alter on the cluster (KafkaApis); ElectLeaders, AlterPartitionReassignments:
//     Alter, ListPartitionReassignments: Describe, AlterClientQuotas: AlterConfigs on the cluster
//     (ControllerApis' authorizeClusterOperation: the request's error response, with the
//     exception's "Request ... needs ALTER permission." where the response carries messages, except
//     AlterClientQuotas, whose error response takes the error's default message);
//   - OffsetDelete: Delete on the group (its topics' Read is in its handler);
//   - AddPartitionsToTxn v4+ (from brokers): ClusterAction on the cluster, else a top-level
//     CLUSTER_AUTHORIZATION_FAILED (v0-3's transactional id and topic Write are in its handler);
//   - InitProducerId: Write on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
//     without one (an idempotent producer) IdempotentWrite on the cluster or Write on any topic
//     (authorizeByResourceType), else CLUSTER_AUTHORIZATION_FAILED;
//   - EndTxn, Produce of transactional batches: Write on the transactional id; AddOffsetsToTxn and
//     TxnOffsetCommit: that, then Read on the group (TxnOffsetCommit's topic Read is in its handler).
// A refused request is answered with the response's defaults (Kafka's getErrorResponse).

import { ErrorCode } from '../../../protocol/errors.js';
import { RECORD_BATCH_OVERHEAD, readBatchHeader } from '../../../protocol/records/index.js';
import type { Interceptor } from '../../dispatcher.js';
import { defaultErrorMessage } from '../../../protocol/error-messages.js';
import { Op, R, authorized, authorizedByType, clusterAuthorized, clusterRefusedMessage } from './checks.js';

type Req = Record<string, unknown>;
type Rule = (req: Req, ctx: Parameters<typeof authorized>[0]) => Record<string, unknown> | null;

const groupRead: Rule = (req, ctx) =>
  authorized(ctx, Op.READ, R.GROUP, req.groupId as string) ? null : { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
const txnWrite = (req: Req, ctx: Parameters<typeof authorized>[0]) =>
  authorized(ctx, Op.WRITE, R.TRANSACTIONAL_ID, req.transactionalId as string);

const RULES: Readonly<Record<number, Rule>> = {
  // JoinGroupResponse's error response: protocol name null from v7 ("" before).
  11: (req, ctx) => {
    const refused = groupRead(req, ctx);
    return refused && { ...refused, generationId: -1, protocolName: ctx.apiVersion >= 7 ? null : '', leader: '', memberId: '' };
  },
  // Produce with a transactional id: Write on it, else every partition refused (ProduceRequest.getErrorResponse).
  0: (req, ctx) => {
    type T = { name: string; topicId: string; partitionData: Array<{ index: number; records: Buffer | null }> };
    // RequestUtils.hasTransactionalRecords: only transactional batches need the id's Write.
    const transactional = (req.topicData as T[]).some((t) => t.partitionData.some((p) => firstBatchTransactional(p.records)));
    if (!transactional || req.transactionalId === null || txnWrite(req, ctx)) return null;
    const responses = (req.topicData as T[]).map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitionResponses: t.partitionData.map((p) => ({
        index: p.index,
        errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        baseOffset: -1,
      })),
    }));
    return { responses };
  },
  // OffsetCommit: every partition refused (OffsetCommitRequest.getErrorResponse).
  8: (req, ctx) => {
    if (!groupRead(req, ctx)) return null;
    type T = { name: string; topicId: string; partitions: Array<{ partitionIndex: number }> };
    const topics = (req.topics as T[]).map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED })),
    }));
    return { topics };
  },
  // TxnOffsetCommit: every partition refused (TxnOffsetCommitRequest.getErrorResponse), the id's Write first.
  28: (req, ctx) => {
    const code = !txnWrite(req, ctx)
      ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
      : groupRead(req, ctx) && ErrorCode.GROUP_AUTHORIZATION_FAILED;
    if (!code) return null;
    type T = { name: string; topicId: string; partitions: Array<{ partitionIndex: number }> };
    const topics = (req.topics as T[]).map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code })),
    }));
    return { topics };
  },
  24: (_req, ctx) =>
    ctx.apiVersion < 4 || clusterAuthorized(ctx, Op.CLUSTER_ACTION)
      ? null
      : { errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, resultsByTransaction: [] },
  47: (req, ctx) =>
    authorized(ctx, Op.DELETE, R.GROUP, req.groupId as string) ? null : { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: [] },
  34: (req, ctx) => {
    if (clusterAuthorized(ctx, Op.ALTER)) return null;
    type D = { topics: Array<{ name: string; partitions: number[] }> };
    const results = (req.dirs as D[]).flatMap((d) =>
      d.topics.map((t) => ({
        topicName: t.name,
        partitions: t.partitions.map((partitionIndex) => ({ partitionIndex, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED })),
      })),
    );
    return { results };
  },
  43: (req, ctx) => {
    if (clusterAuthorized(ctx, Op.ALTER)) return null;
    const [errorCode, errorMessage] = [ErrorCode.CLUSTER_AUTHORIZATION_FAILED, clusterRefusedMessage(ctx, Op.ALTER)];
    type T = { topic: string; partitions: number[] };
    const replicaElectionResults = ((req.topicPartitions as T[] | null) ?? []).map((t) => ({
      topic: t.topic,
      partitionResult: t.partitions.map((partitionId) => ({ partitionId, errorCode, errorMessage })),
    }));
    return { errorCode, replicaElectionResults };
  },
  45: (req, ctx) => {
    if (clusterAuthorized(ctx, Op.ALTER)) return null;
    const [errorCode, errorMessage] = [ErrorCode.CLUSTER_AUTHORIZATION_FAILED, clusterRefusedMessage(ctx, Op.ALTER)];
    type T = { name: string; partitions: Array<{ partitionIndex: number }> };
    const responses = (req.topics as T[]).map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode, errorMessage })),
    }));
    return { errorCode, errorMessage, responses };
  },
  46: (req, ctx) => {
    if (clusterAuthorized(ctx, Op.DESCRIBE)) return null;
    type T = { name: string; partitionIndexes: number[] };
    const topics = ((req.topics as T[] | null) ?? []).map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, replicas: [], addingReplicas: [], removingReplicas: [] })),
    }));
    return { errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: clusterRefusedMessage(ctx, Op.DESCRIBE), topics };
  },
  49: (req, ctx) => {
    if (clusterAuthorized(ctx, Op.ALTER_CONFIGS)) return null;
    const errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
    type E = { entity: Array<{ entityType: string; entityName: string | null }> };
    const entries = (req.entries as E[]).map((e) => ({ errorCode, errorMessage: defaultErrorMessage(errorCode), entity: e.entity }));
    return { entries };
  },
  12: groupRead,
  13: groupRead,
  14: groupRead,
  68: groupRead,
  76: groupRead,
  78: groupRead,
  79: groupRead,
  88: groupRead,
  22: (req, ctx) => {
    const refused = { producerId: -1, producerEpoch: -1 };
    if (req.transactionalId !== null)
      return txnWrite(req, ctx) ? null : { ...refused, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    if (clusterAuthorized(ctx, Op.IDEMPOTENT_WRITE) || authorizedByType(ctx, Op.WRITE, R.TOPIC)) return null;
    return { ...refused, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED };
  },
  25: (req, ctx) => (txnWrite(req, ctx) ? groupRead(req, ctx) : { errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED }),
  26: (req, ctx) => (txnWrite(req, ctx) ? null : { errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED }),
};

function firstBatchTransactional(records: Buffer | null): boolean {
  if (!records || !Buffer.isBuffer(records) || records.length < RECORD_BATCH_OVERHEAD) return false;
  try {
    return readBatchHeader(records).isTransactional;
  } catch {
    return false;
  }
}

/** The interceptor BrokerCore installs; a no-op without an authorizer. */
export const authorizationGate: Interceptor = async (r, next) => {
  const rule = RULES[r.api.apiKey];
  if (!rule || !r.ctx.broker.authorizer.enabled) return next();
  const refused = rule(r.request as Req, r.ctx);
  return refused ? { throttleTimeMs: 0, ...refused } : next();
};
