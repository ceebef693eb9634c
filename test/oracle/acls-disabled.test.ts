// Oracle: the ACL APIs without an authorizer (SECURITY_DISABLED) against Kafka 4.4.
import { oracleSuite } from './oracle.js';
import { ACL_DISABLED_SCENARIOS } from './scenarios/acls.js';

oracleSuite('acls-disabled', ACL_DISABLED_SCENARIOS);
