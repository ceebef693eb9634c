// GetTelemetrySubscriptions (key 71), v0 (KIP-714).
//
// Behaviour (Kafka's ClientMetricsManager.processGetTelemetrySubscriptionRequest; the state is
// ClientTelemetry's, broker/telemetry/manager.ts): a zero client_instance_id is given a new
// random one; the client is matched against the CLIENT_METRICS subscriptions (its client id,
// the software name and version of its ApiVersions, its address and port) and gets the union
// of their metric prefixes, the smallest interval.ms (default 300000), a subscription id (a
// hash of both), the accepted compression types (zstd, lz4, gzip, snappy: those this machine
// can decompress), telemetry.max.bytes (default 1048576) and delta temporality. A second
// request within the push interval gets THROTTLING_QUOTA_EXCEEDED and an otherwise empty body.
//
// Differences from Kafka: Kafka advertises keys 71/72 only with a metrics receiver plugin (it
// answers them anyway); kafkalite advertises them, so clients push and /metrics, the HTTP API
// (/api/v1/clients) and the console show their metrics. While no CLIENT_METRICS resource exists,
// kafkalite subscribes every client to all metrics ("*") every 30 s instead of Kafka's none;
// the first resource created switches to Kafka's rules. What clients show of it: the Java
// client logs "Client telemetry registered with client instance id: ..." at INFO, librdkafka
// one info line "Telemetry client instance id changed from AAAAAAAAAAAAAAAAAAAAAA to ...";
// pushes are a few KB (zstd) per client every 30 s.

import { GetTelemetrySubscriptions } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: GetTelemetrySubscriptions,
  async handle(req, ctx) {
    const result = (await ctx.broker.clientTelemetry()).getSubscriptions(req.clientInstanceId, ctx.connection, ctx.header.clientId);
    return { throttleTimeMs: 0, ...result };
  },
});
