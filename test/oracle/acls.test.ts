// Oracle: DescribeAcls, CreateAcls, DeleteAcls and the handlers' authorization checks against
// Kafka 4.4, both with StandardAuthorizer (see test/oracle/scenarios/acls.ts).
import { oracleSuite } from './oracle.js';
import { ACLS_CONFIG, ACL_SCENARIOS } from './scenarios/acls.js';

oracleSuite('acls', ACL_SCENARIOS, { config: ACLS_CONFIG });
