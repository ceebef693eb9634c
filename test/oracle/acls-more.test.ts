// Oracle: more handler authorization checks (offsets, transactions, share fetches, DescribeTopicPartitions, the
// cluster-level admin APIs) against Kafka 4.4, both with StandardAuthorizer (see test/oracle/scenarios/acls-more.ts).
import { oracleSuite } from './oracle.js';
import { ACLS_CONFIG } from './scenarios/acls.js';
import { ACL_MORE_SCENARIOS } from './scenarios/acls-more.js';

oracleSuite('acls-more', ACL_MORE_SCENARIOS, { config: ACLS_CONFIG });
