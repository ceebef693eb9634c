// DescribeConfigs (key 32), v0-4.
//
// Behaviour (Kafka's ConfigHelper): resource type 2 (topic) lists every topic
// config with the value in force; 4 (broker) with the receiving node's id lists every broker
// config, with "" only the cluster-wide dynamic defaults; 8 (broker logger, the node's id)
// lists the `kafkalite` logger's level. configuration_keys null or empty means all; unknown
// keys are left out. Sources (v1+): 1 DYNAMIC_TOPIC_CONFIG, 2 DYNAMIC_BROKER_CONFIG,
// 3 DYNAMIC_DEFAULT_BROKER_CONFIG, 4 STATIC_BROKER_CONFIG (server.properties, startBroker's
// config), 5 DEFAULT_CONFIG, 6 DYNAMIC_BROKER_LOGGER_CONFIG. include_synonyms (v1+) adds the
// chain topic override → per-broker dynamic → default dynamic → static → default under
// Kafka's broker names (log.retention.ms, log.segment.bytes, ...), with Kafka's quirk that a
// chain starts at the primary broker key, so retention.ms/segment.ms list no synonym until
// log.retention.ms/log.roll.ms is set. v0 answers is_default (source DEFAULT_CONFIG) instead
// of a source. v3+ config_type, and documentation when include_documentation.
// Errors per resource: unknown topic UNKNOWN_TOPIC_OR_PARTITION, illegal name
// INVALID_TOPIC_EXCEPTION, another node's id or a non-integer INVALID_REQUEST (Kafka: only the
// receiving broker describes itself), other resource types INVALID_REQUEST. Groups (type 32,
// broker/groups/group-configs.ts): every non-internal group config of Kafka 4.4, a set one with
// source 8 DYNAMIC_GROUP_CONFIG, the others with their broker synonym's value and source
// (consumer.session.timeout.ms <- group.consumer.session.timeout.ms); a group that does not
// exist describes too; "" INVALID_REQUEST "Group name must not be empty". Type 16 (client
// metrics, broker/telemetry/client-metrics-configs.ts) lists interval.ms, match and metrics, set
// ones with source 7 CLIENT_METRICS_CONFIG; at v0 Kafka closes the connection instead of
// answering them, and so does kafkalite. Differences from Kafka: broker configs are kafkalite's table
// (config/definitions.ts), not Kafka's several hundred keys.

import { DescribeConfigs } from '../../protocol/messages/index.js';
import { ConfigSource } from '../configs.js';
import { defineHandler } from '../handler.js';
import { Op, configDenied } from '../security/authorizer/checks.js';
import { defaultErrorMessage } from '../../protocol/error-messages.js';
import { RESOURCE_CLIENT_METRICS } from '../telemetry/client-metrics-configs.js';

export default defineHandler({
  api: DescribeConfigs,
  handle(req, ctx) {
    const v = ctx.apiVersion;
    const includeSynonyms = v >= 1 && req.includeSynonyms;
    const includeDocs = v >= 3 && req.includeDocumentation;
    // Without DescribeConfigs: the resource's authorization error, after the others (ConfigHelper).
    const denied = (r: (typeof req.resources)[number]) => configDenied(ctx, Op.DESCRIBE_CONFIGS, r.resourceType, r.resourceName);
    const ordered = [...req.resources.filter((r) => !denied(r)), ...req.resources.filter(denied)];
    const results = ordered.map((r) => {
      const code = denied(r);
      const refused = { errorCode: code, errorMessage: defaultErrorMessage(code), configs: [] };
      return {
        r,
        result: code
          ? refused
          : ctx.broker.configs.describe(r.resourceType, r.resourceName, r.configurationKeys, ctx.node.nodeId, includeDocs),
      };
    });
    // Kafka 4.4 cannot write a v0 answer holding CLIENT_METRICS configs (their config source is
    // v1+ only) and closes the connection instead.
    if (v === 0 && results.some(({ r, result }) => r.resourceType === RESOURCE_CLIENT_METRICS && result.configs.length > 0)) {
      ctx.closeConnection('DescribeConfigs v0 cannot carry client-metrics configs');
      return null;
    }
    return {
      throttleTimeMs: 0,
      results: results.map(({ r, result }) => {
        return {
          errorCode: result.errorCode,
          errorMessage: result.errorMessage,
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          configs: result.configs.map((c) => ({
            ...c,
            isDefault: c.configSource === ConfigSource.DEFAULT_CONFIG,
            synonyms: includeSynonyms ? c.synonyms : [],
          })),
        };
      }),
    };
  },
});
