// Oracle: the delegation token APIs on the corpus's PLAINTEXT connections, with delegation.token.secret.key set on both brokers (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { DELEGATION_TOKEN_SCENARIOS } from './scenarios/delegation-tokens.js';

oracleSuite('delegation-tokens', DELEGATION_TOKEN_SCENARIOS, { config: { 'delegation.token.secret.key': 'kafkalite-oracle-secret' } });
