// UnregisterBroker (key 64), v0.
//
// Behaviour: the registered brokers are the simulated nodes (broker/cluster.ts), up or down.
// Another id gets BROKER_ID_NOT_REGISTERED "Broker ID <id> is not currently registered", as
// from Kafka's ClusterControlManager. A node's id succeeds (error 0, an empty message, as Kafka
// answers) and changes nothing: a node of kafkalite serves on, as if it had registered again
// at once. (Kafka 4.4 drops the registration of a live broker too: until that broker restarts
// Metadata and DescribeCluster list no brokers, which kafkalite doesn't imitate;
// `kafka-cluster unregister` is meant for brokers that are gone for good.)

import { errorCodeByName } from '../../protocol/errors.js';
import { UnregisterBroker } from '../../protocol/messages/index.js';
import { defineHandler } from '../handler.js';

const BROKER_ID_NOT_REGISTERED = errorCodeByName('BROKER_ID_NOT_REGISTERED')!;

export default defineHandler({
  api: UnregisterBroker,
  handle(req, ctx) {
    if (!ctx.broker.cluster.node(req.brokerId)) {
      return {
        throttleTimeMs: 0,
        errorCode: BROKER_ID_NOT_REGISTERED,
        errorMessage: `Broker ID ${req.brokerId} is not currently registered`,
      };
    }
    ctx.broker.log.info({ brokerId: req.brokerId }, 'UnregisterBroker for a simulated node: it stays registered');
    return { throttleTimeMs: 0, errorCode: 0, errorMessage: '' };
  },
});
