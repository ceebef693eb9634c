// Oracle: DescribeClientQuotas, AlterClientQuotas against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { QUOTA_SCENARIOS } from './scenarios/quotas.js';

oracleSuite('quotas', QUOTA_SCENARIOS);
