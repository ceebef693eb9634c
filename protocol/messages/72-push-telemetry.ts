// PushTelemetry (key 72, KIP-714): a client pushes its metrics payload. Only v0, flexible.
import { api, f } from '../schema.js';

export const PushTelemetry = api({
  apiKey: 72,
  name: 'PushTelemetry',
  validVersions: '0',
  flexibleVersions: '0+',
  request: () => ({
    clientInstanceId: f.uuid('0+'),
    subscriptionId: f.int32('0+'),
    terminating: f.bool('0+'),
    compressionType: f.int8('0+'),
    metrics: f.bytes('0+'),
  }),
  response: () => ({
    throttleTimeMs: f.int32('0+'),
    errorCode: f.int16('0+'),
  }),
});
