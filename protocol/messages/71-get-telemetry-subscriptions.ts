// GetTelemetrySubscriptions (key 71, KIP-714): which client metrics the broker wants pushed.
// Only v0, flexible; a zero client instance id asks the broker to assign one.
import { api, f } from '../schema.js';

export const GetTelemetrySubscriptions = api({
  apiKey: 71,
  name: 'GetTelemetrySubscriptions',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    clientInstanceId: f.uuid('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
    clientInstanceId: f.uuid('0+'),
    subscriptionId: f.int32('0+'),
    acceptedCompressionTypes: f.array('0+', 'int8'),
    pushIntervalMs: f.int32('0+'),
    telemetryMaxBytes: f.int32('0+'),
    deltaTemporality: f.bool('0+'),
    requestedMetrics: f.array('0+', 'string'),
  }),
});
