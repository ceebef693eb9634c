# kafka-python's KafkaAdminClient scenario for test/integration/pypi-*.test.ts: one JSON object
# of step results without what differs between two correct brokers (ids, timestamps, sizes),
# for comparing kafkalite's answers with Apache Kafka's. argv: bootstrap, name prefix.
import json, sys, time
from kafka import KafkaProducer, TopicPartition, OffsetAndMetadata
from kafka.admin import KafkaAdminClient, NewTopic, ConfigResource, ConfigResourceType, AlterConfigOp, OffsetSpec

b, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'kpa')
A, B, G = prefix + '-a', prefix + '-b', prefix + '-g'
a = KafkaAdminClient(bootstrap_servers=b)
out = {}

def attempt(fn):
    try:
        r = fn()
        return {'ok': r}
    except Exception as e:
        return {'error': type(e).__name__, 'msg': str(e).split(': ', 1)[-1] if ':' in str(e) else str(e)}

out['createTopics'] = attempt(lambda: (a.create_topics([NewTopic(A, 3, 1, topic_configs={'retention.ms': '3600000'}), NewTopic(B, 2, 1)]), 'created')[1])
out['createExisting'] = attempt(lambda: a.create_topics([NewTopic(A, 1, 1)]))
out['createInvalidConfig'] = attempt(lambda: a.create_topics([NewTopic(prefix + '-bad', 1, 1, topic_configs={'cleanup.policy': 'sometimes'})]))
for _ in range(100):  # Kafka's broker learns of a new topic when it replays the controller's record
    md = {t['topic'] if 'topic' in t else t['name']: t for t in a.describe_topics([A, B])}
    if all(t.get('error_code', 0) == 0 and t['partitions'] for t in md.values()):
        break
    time.sleep(0.1)
out['describeTopics'] = {n: sorted((p['partition_index'], p['leader_id'], p['replica_nodes'], p['isr_nodes']) for p in t['partitions']) for n, t in md.items()}

def configs():
    return a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, A)])['topic'][A]
out['describeConfigs'] = configs()
out['alterIncremental'] = attempt(lambda: str(a.alter_configs([ConfigResource(ConfigResourceType.TOPIC, A, configs={
    'retention.ms': (AlterConfigOp.SET, '7200000'), 'cleanup.policy': (AlterConfigOp.APPEND, 'compact')})], raise_on_unknown=False)))
out['alterNotANumber'] = attempt(lambda: str(a.alter_configs([ConfigResource(ConfigResourceType.TOPIC, A, configs={
    'retention.ms': (AlterConfigOp.SET, 'soon')})], raise_on_unknown=False)))
for _ in range(100):  # Kafka applies altered configs when its broker replays the controller's record
    out['describeAltered'] = configs()
    if '7200000' in json.dumps(out['describeAltered'], default=str):
        break
    time.sleep(0.1)
out['createPartitions'] = attempt(lambda: str(a.create_partitions({A: 5})))
out['shrinkPartitions'] = attempt(lambda: str(a.create_partitions({A: 2})))

p = KafkaProducer(bootstrap_servers=b)
for i in range(15):
    p.send(A, key=b'k%d' % i, value=b'v', partition=i // 10)
p.flush(10)
p.close()
def offsets(spec):
    r = a.list_partition_offsets({TopicPartition(A, i): spec for i in range(5)})
    return {str(tp.partition): (v.offset if hasattr(v, 'offset') else v[0]) for tp, v in r.items()}
out['listEarliest'] = offsets(OffsetSpec.EARLIEST)
out['listLatest'] = offsets(OffsetSpec.LATEST)
out['deleteRecords'] = attempt(lambda: {str(tp.partition): v for tp, v in a.delete_records({TopicPartition(A, 0): 4}).items()})
out['deleteRecordsOutOfRange'] = attempt(lambda: {str(tp.partition): v for tp, v in a.delete_records({TopicPartition(A, 1): 99}).items()})
out['listEarliestAfterDelete'] = offsets(OffsetSpec.EARLIEST)
# A fresh Kafka answers COORDINATOR_LOAD_IN_PROGRESS while it loads __consumer_offsets: wait until it answers.
for _ in range(300):
    try:
        a.list_group_offsets({prefix + '-warmup': None})
        break
    except Exception as e:
        if 'CoordinatorLoadInProgress' not in type(e).__name__ + str(e) and 'CoordinatorNotAvailable' not in type(e).__name__ + str(e):
            raise
        time.sleep(0.1)
out['alterGroupOffsets'] = attempt(lambda: str(a.alter_group_offsets(G, {TopicPartition(A, 0): OffsetAndMetadata(7, 'm', -1), TopicPartition(A, 1): OffsetAndMetadata(2, '', -1)})))
lgo = a.list_group_offsets({G: None})
out['listGroupOffsets'] = sorted((tp.topic, tp.partition, om.offset, om.metadata) for tp, om in (lgo[G] if G in lgo else lgo).items())
out['listGroups'] = sorted(g for g in a.list_groups() if g['group_id'].startswith(prefix))
out['describeGroups'] = a.describe_groups([G, prefix + '-nosuch'])
cl = a.describe_cluster()
out['describeCluster'] = {'brokers': sorted(br['broker_id'] for br in cl['brokers']), 'controllerIsBroker': cl['controller_id'] == cl['brokers'][0]['broker_id'], 'clusterId': bool(cl['cluster_id'])}
out['deleteGroups'] = attempt(lambda: str(a.delete_groups([G])))
out['deleteGroupsAgain'] = attempt(lambda: str(a.delete_groups([G])))
out['deleteTopics'] = attempt(lambda: sorted((t['name'], t['error_code'], t['error_message']) for t in a.delete_topics([A, B])['topics']))
out['deleteTopicsAgain'] = attempt(lambda: str(a.delete_topics([A])))
a.close()
print(json.dumps(out, default=str))
