// Oracle: ApiVersions, Metadata, DescribeCluster against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { META_SCENARIOS } from './scenarios/meta.js';

oracleSuite('meta', META_SCENARIOS);
