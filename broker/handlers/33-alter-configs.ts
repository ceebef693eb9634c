// AlterConfigs (key 33), v0-2.
//
// Behaviour (Kafka's ConfigAdminManager, KIP-226): each resource's configs become its whole
// set of dynamic configs (keys left out are removed). Topics (type 2): validated against
// Kafka's topic config names and values (INVALID_CONFIG naming the key), unknown topic
// UNKNOWN_TOPIC_OR_PARTITION; the overrides are persisted with the topic and apply to its logs
// at once. Broker (type 4): "" is the cluster-wide default, otherwise the receiving node's id
// (INVALID_REQUEST for another); read-only keys ("Cannot update these configs dynamically"),
// bad values and unknown keys get INVALID_REQUEST, as Kafka answers for broker resources
// (KAFKA-13609). Broker dynamic configs persist in kafkalite-broker-configs.json in the data
// dir (memory store: in memory). validate_only checks without changing anything. A resource
// named twice gets INVALID_REQUEST for both; duplicate keys or a null value INVALID_REQUEST.
// Groups (type 32): the group's whole config set, validated as IncrementalAlterConfigs does
// (broker/groups/group-configs.ts). BROKER_LOGGER (8) and other types: INVALID_REQUEST
// "Unknown resource type", as in Kafka.
// Difference from Kafka: unknown broker keys are refused instead of kept as custom configs.

import { AlterConfigs } from '../../protocol/messages/index.js';
import { OpType, alterResources } from '../config-changes.js';
import { defineHandler } from '../handler.js';
import { splitConfigResources } from '../security/authorizer/checks.js';

export default defineHandler({
  api: AlterConfigs,
  handle(req, ctx) {
    // Without AlterConfigs on a resource: its authorization error (broker/security/authorizer/checks.ts).
    const [allowed, refused] = splitConfigResources(ctx, req.resources);
    return {
      throttleTimeMs: 0,
      responses: [
        ...alterResources(allowed, ctx, {
          replace: true,
          validateOnly: req.validateOnly,
          changes: (r) => r.configs.map((c) => ({ name: c.name, op: OpType.SET, value: c.value })),
        }),
        ...refused,
      ],
    };
  },
});
