// PushTelemetry (key 72), v0 (KIP-714).
//
// Behaviour (Kafka's ClientMetricsManager.processPushTelemetryRequest; the state is
// ClientTelemetry's, broker/telemetry/manager.ts): a zero or reserved client_instance_id gets
// INVALID_REQUEST; a push after a terminating one INVALID_REQUEST; a push within the interval
// THROTTLING_QUOTA_EXCEEDED (the first push after GetTelemetrySubscriptions and terminating
// pushes excepted); a subscription id other than the instance's current one
// UNKNOWN_SUBSCRIPTION_ID (the client then asks for its subscription again); a compression type
// Kafka does not know UNSUPPORTED_COMPRESSION_TYPE; metrics larger than telemetry.max.bytes
// TELEMETRY_TOO_LARGE. The response carries only the error code (Kafka logs the message).
//
// kafkalite's part (Kafka hands the bytes to a receiver plugin): the OTLP MetricsData payload
// is decompressed and decoded (broker/telemetry/otlp.ts) and kept as the client's latest push
// for /metrics, the HTTP API and the console. An undecodable payload gets INVALID_RECORD, what
// Kafka answers when its receiver plugin fails (Kafka without a plugin accepts any bytes).

import { PushTelemetry } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

export default defineHandler({
  api: PushTelemetry,
  async handle(req, ctx) {
    const { errorCode } = (await ctx.broker.clientTelemetry()).push(req, ctx.connection, ctx.header.clientId);
    return { throttleTimeMs: 0, errorCode };
  },
});
