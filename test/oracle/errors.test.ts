// Oracle: requests at versions or API keys a broker does not serve, against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { ERROR_SCENARIOS } from './scenarios/errors.js';

oracleSuite('errors', ERROR_SCENARIOS);
