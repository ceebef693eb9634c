// ListConfigResources (key 74), v0-1; ListClientMetricsResources before Kafka 4.1 (KIP-1142).
//
// Behaviour (Kafka's KafkaApis.handleListConfigResources): v0 lists the CLIENT_METRICS (16)
// resources. v1 takes ResourceTypes: empty means every supported type (TOPIC 2, BROKER 4,
// BROKER_LOGGER 8, CLIENT_METRICS 16, GROUP 32); any other type in the list fails the whole
// request with UNSUPPORTED_VERSION. Resources come in Kafka's order: groups with configs,
// client metrics subscriptions, broker loggers (one per node), brokers (one per node), topics
// (internal ones included). Groups are those with dynamic configs (broker/groups/group-configs.ts).

import { ErrorCode } from '../../protocol/errors.js';
import { ListConfigResources } from '../../protocol/messages/index.js';
import { RESOURCE_BROKER, RESOURCE_BROKER_LOGGER, RESOURCE_TOPIC } from '../configs.js';
import { RESOURCE_GROUP } from '../groups/group-configs.js';
import { defineHandler } from '../handler.js';
import { RESOURCE_CLIENT_METRICS } from '../telemetry/client-metrics-configs.js';

const SUPPORTED_V0 = [RESOURCE_CLIENT_METRICS];
const SUPPORTED_V1 = [RESOURCE_TOPIC, RESOURCE_BROKER, RESOURCE_BROKER_LOGGER, RESOURCE_CLIENT_METRICS, RESOURCE_GROUP];

export default defineHandler({
  api: ListConfigResources,
  handle(req, ctx) {
    const supported = ctx.apiVersion >= 1 ? SUPPORTED_V1 : SUPPORTED_V0;
    const types = ctx.apiVersion >= 1 && req.resourceTypes.length > 0 ? req.resourceTypes : supported;
    if (types.some((t) => !supported.includes(t)))
      return { throttleTimeMs: 0, errorCode: ErrorCode.UNSUPPORTED_VERSION, configResources: [] };
    const out: Array<{ resourceName: string; resourceType: number }> = [];
    const add = (type: number, names: Iterable<string>) => {
      if (types.includes(type)) for (const resourceName of names) out.push({ resourceName, resourceType: type });
    };
    const nodes = ctx.broker.cluster.nodes.map((n) => String(n.nodeId));
    add(RESOURCE_GROUP, ctx.broker.groupConfigs.names());
    add(RESOURCE_CLIENT_METRICS, ctx.broker.clientMetrics.names());
    add(RESOURCE_BROKER_LOGGER, nodes);
    add(RESOURCE_BROKER, nodes);
    add(
      RESOURCE_TOPIC,
      [...ctx.broker.topics.all()].map((t) => t.name),
    );
    return { throttleTimeMs: 0, errorCode: 0, configResources: out };
  },
});
