// Oracle: DescribeConfigs, AlterConfigs, IncrementalAlterConfigs against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { CONFIG_SCENARIOS } from './scenarios/configs.js';

oracleSuite('configs', CONFIG_SCENARIOS);
