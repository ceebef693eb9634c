// Oracle: CreateTopics, DeleteTopics, CreatePartitions, DescribeLogDirs, ElectLeaders,
// ListPartitionReassignments against Kafka 4.4 (see test/oracle/oracle.ts).
import { oracleSuite } from './oracle.js';
import { TOPIC_SCENARIOS } from './scenarios/topics.js';

oracleSuite('topics', TOPIC_SCENARIOS);
