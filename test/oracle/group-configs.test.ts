// Oracle: the GROUP config resource (type 32) of DescribeConfigs, IncrementalAlterConfigs and AlterConfigs against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { GROUP_CONFIG_SCENARIOS } from './scenarios/group-configs.js';

oracleSuite('group-configs', GROUP_CONFIG_SCENARIOS);
