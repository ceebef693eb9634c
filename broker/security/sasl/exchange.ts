// The SASL exchange on a SASL listener: the listener settings (JAAS, OAUTHBEARER validators), the
// per-connection session, the mechanisms' servers and the ILLEGAL_SASL_STATE refusals. SaslManager
// (manager.ts) imports this file at start-up only when a listener is SASL_* (issue 15, lean
// start): a broker without one never loads it, and the dispatcher's gate returns at its first line.

export { OAuthBearerServer } from './oauthbearer.js';
export { PlainServer } from './plain.js';
export { illegalSaslStateResponse } from './refusal.js';
export { ScramServer } from './scram.js';
export { SaslSession } from './session.js';
export { listenerSasl } from './settings.js';
