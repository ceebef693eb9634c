// DeleteTopics (key 20), v0-6.
//
// Behaviour: deletes each named topic (v6+ may name it by id), its partition logs and the
// committed offsets groups hold for it (as Kafka's group coordinator removes them).
// Unknown names get UNKNOWN_TOPIC_OR_PARTITION, unknown ids UNKNOWN_TOPIC_ID;
// delete.topic.enable=false gives TOPIC_DELETION_DISABLED. Parked fetches on a deleted
// partition wake and see the error. A controller_mutation_rate quota takes one permit per
// partition: THROTTLING_QUOTA_EXCEEDED from v5 once exceeded, below v5 only a throttle.
//
// Difference from Kafka: internal topics (__consumer_offsets, __transaction_state) are refused
// with INVALID_TOPIC_EXCEPTION; Kafka refuses them only through its authorizer.

import { ErrorCode } from '../../protocol/errors.js';
import { DeleteTopics } from '../../protocol/messages/index.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { defaultErrorMessage } from '../../protocol/error-messages.js';
import { defineHandler } from '../handler.js';
import { deleteTopicDenial } from '../security/authorizer/checks.js';

export default defineHandler({
  api: DeleteTopics,
  handle(req, ctx) {
    const broker = ctx.broker;
    const wanted: Array<{ name: string | null; id: string }> =
      ctx.apiVersion >= 6
        ? req.topics.map((t) => ({ name: t.name, id: t.topicId }))
        : req.topicNames.map((name) => ({ name, id: ZERO_UUID }));
    return {
      throttleTimeMs: 0,
      responses: wanted.map(({ name, id }) => {
        const topic = name !== null ? broker.topics.get(name) : broker.topics.getById(id);
        const out = { name: topic?.name ?? name, topicId: topic?.id ?? id, errorMessage: null as string | null };
        const denial = name !== null || topic ? deleteTopicDenial(ctx, name ?? topic!.name) : null;
        if (denial === 'describe' || (denial && topic)) {
          const shown = name === null && denial === 'describe' ? null : out.name;
          const code = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
          return { ...out, name: shown, topicId: name !== null ? ZERO_UUID : id, errorCode: code, errorMessage: defaultErrorMessage(code) };
        }
        if (!topic) {
          const errorCode = name === null ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          return { ...out, errorCode, errorMessage: defaultErrorMessage(errorCode) };
        }
        if (!broker.config.bool('delete.topic.enable')) {
          return { ...out, errorCode: ErrorCode.TOPIC_DELETION_DISABLED, errorMessage: 'Topic deletion is disabled.' };
        }
        if (topic.internal) {
          return { ...out, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: `Internal topic ${topic.name} cannot be deleted` };
        }
        // The controller mutation quota: one permit per partition, strict from v5 (KIP-599).
        if (!ctx.mutationQuota(5).record(topic.partitions.length)) {
          return { ...out, errorCode: ErrorCode.THROTTLING_QUOTA_EXCEEDED, errorMessage: null };
        }
        const result = broker.deleteTopic(topic.name);
        if (result.errorCode === 0) broker.log.info({ topic: topic.name }, 'deleted topic');
        return { ...out, errorCode: result.errorCode, errorMessage: result.errorMessage };
      }),
    };
  },
});
