// Oracle: SaslHandshake/SaslAuthenticate outside SASL listeners and the SCRAM credential APIs against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { SASL_SCENARIOS } from './scenarios/sasl.js';

oracleSuite('sasl', SASL_SCENARIOS);
