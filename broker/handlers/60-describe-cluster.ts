// DescribeCluster (key 60), v0-2.
//
// Behaviour: the live nodes, cluster id and controller id. v1 adds endpoint_type: 1 (brokers)
// is served; 2 (controllers) gets MISMATCHED_ENDPOINT_TYPE, as from a Kafka broker listener.
// v2 (KIP-1073): include_fenced_brokers changes nothing (a node is never fenced) and every
// broker's is_fenced is false.

import { DescribeCluster } from '../../protocol/messages/index.js';
import { authorizedOperations } from '../authorized-operations.js';
import { CLUSTER_NAME } from '../security/authorizer/acl.js';
import { Op, R, authorizedOperationBits, clusterAuthorized } from '../security/authorizer/checks.js';
import { defineHandler } from '../handler.js';
import { advertisedAddress } from '../security/listeners.js';

const MISMATCHED_ENDPOINT_TYPE = 114;

export default defineHandler({
  api: DescribeCluster,
  handle(req, ctx) {
    const cluster = ctx.broker.cluster;
    if (ctx.apiVersion >= 1 && req.endpointType !== 1) {
      return {
        throttleTimeMs: 0,
        errorCode: MISMATCHED_ENDPOINT_TYPE,
        errorMessage: 'The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER',
        // Kafka answers as the broker endpoint it is, without a cluster id.
        endpointType: 1,
        clusterId: '',
        controllerId: -1,
        brokers: [],
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: 1,
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId,
      brokers: cluster.liveNodes().map((n) => ({ brokerId: n.nodeId, ...advertisedAddress(n, ctx.connection), rack: n.rack })),
      // 0 without Describe on the cluster (KafkaApis.handleDescribeCluster).
      clusterAuthorizedOperations: authorizedOperations(
        req.includeClusterAuthorizedOperations,
        clusterAuthorized(ctx, Op.DESCRIBE) ? authorizedOperationBits(ctx, R.CLUSTER, CLUSTER_NAME) : 0,
      ),
    };
  },
});
