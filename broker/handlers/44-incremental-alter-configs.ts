// IncrementalAlterConfigs (key 44), v0-1.
//
// Behaviour (KIP-339; Kafka's ConfigAdminManager): per key SET (0), DELETE (1, back to the
// inherited value), APPEND (2) and SUBTRACT (3) for list-type keys (cleanup.policy,
// log.cleanup.policy; APPEND starts from the default when unset; other keys INVALID_CONFIG
// "Config value append is not allowed"). Topics (type 2): the resulting overrides are
// checked against Kafka's topic config names and values (INVALID_CONFIG naming the key),
// persisted with the topic, and applied to its logs at once; unknown topic
// UNKNOWN_TOPIC_OR_PARTITION. Broker (type 4): "" (cluster-wide default) or the receiving
// node's id; read-only keys, bad values and unknown keys get INVALID_REQUEST as Kafka answers
// for broker resources (KAFKA-13609); persisted in kafkalite-broker-configs.json in the data
// dir (memory store: in memory). Broker logger (type 8, the node's id): SET of the
// `kafkalite` logger to a log4j level (OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE) changes
// the broker's log level (not persisted, as in Kafka); DELETE/APPEND/SUBTRACT INVALID_REQUEST,
// other logger names INVALID_CONFIG. Groups (type 32, broker/groups/group-configs.ts): Kafka
// 4.4's GroupConfig keys, checked on the resulting set (unknown name, type and static range,
// then the broker's group.*.min/max bounds, each INVALID_CONFIG with Kafka's message), for
// groups that exist or not, persisted in kafkalite-group-configs.json; APPEND/SUBTRACT
// INVALID_CONFIG; "" INVALID_REQUEST. validate_only checks only. A resource named twice gets
// INVALID_REQUEST for both; duplicate keys, a null value for a non-DELETE op or an unknown op
// INVALID_REQUEST.

import { IncrementalAlterConfigs } from '../../protocol/messages/index.js';
import { alterResources } from '../config-changes.js';
import { defineHandler } from '../handler.js';
import { splitConfigResources } from '../security/authorizer/checks.js';

export default defineHandler({
  api: IncrementalAlterConfigs,
  handle(req, ctx) {
    // Without AlterConfigs on a resource: its authorization error (broker/security/authorizer/checks.ts).
    const [allowed, refused] = splitConfigResources(ctx, req.resources);
    return {
      throttleTimeMs: 0,
      responses: [
        ...alterResources(allowed, ctx, {
          replace: false,
          validateOnly: req.validateOnly,
          changes: (r) => r.configs.map((c) => ({ name: c.name, op: c.configOperation, value: c.value })),
        }),
        ...refused,
      ],
    };
  },
});
