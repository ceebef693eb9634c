# confluent-kafka's AdminClient scenario for test/integration/pypi-*.test.ts: one JSON object
# of step results, leaving out what differs between two correct brokers (ids, timestamps), so
# kafkalite's answers can be compared with Apache Kafka's. argv: bootstrap, name prefix.
import json, os, sys, time
from confluent_kafka import Producer, Consumer, TopicPartition, KafkaError, KafkaException, ConsumerGroupTopicPartitions, OFFSET_BEGINNING
from confluent_kafka.admin import (AdminClient, NewTopic, NewPartitions, ConfigResource, ConfigEntry, AlterConfigOpType,
                                   ResourceType, OffsetSpec)

b, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'ck')
A, B, G = prefix + '-a', prefix + '-b', prefix + '-g'
a = AdminClient({'bootstrap.servers': b})
out = {}

def err(e):
    k = e.args[0]
    return {'err': k.name(), 'msg': k.str()}

def wait(fs):
    res = {}
    for k, f in fs.items():
        try:
            f.result(30)
            res[str(k)] = 'ok'
        except KafkaException as e:
            res[str(k)] = err(e)
    return res

out['createTopics'] = wait(a.create_topics([NewTopic(A, 3, 1, config={'retention.ms': '3600000'}), NewTopic(B, 2, 1)], operation_timeout=20))
out['createExisting'] = wait(a.create_topics([NewTopic(A, 1, 1)]))
out['createInvalidConfig'] = wait(a.create_topics([NewTopic(prefix + '-bad', 1, 1, config={'cleanup.policy': 'sometimes'})]))
out['createValidateOnly'] = wait(a.create_topics([NewTopic(prefix + '-dry', 2, 1)], validate_only=True))

def topics():
    md = a.list_topics(timeout=10)
    return {t: sorted(p.id for p in md.topics[t].partitions.values()) for t in (A, B, prefix + '-dry') if t in md.topics}
out['listTopics'] = topics()
for _ in range(100):  # Kafka's broker learns of a new topic when it replays the controller's record
    try:
        desc = a.describe_topics(__import__('confluent_kafka').TopicCollection([A]))[A].result(10)
        break
    except KafkaException as e:
        if e.args[0].code() != KafkaError.UNKNOWN_TOPIC_OR_PART:
            raise
        time.sleep(0.1)
out['describeTopics'] = {'name': desc.name, 'internal': desc.is_internal,
                         'partitions': [{'id': p.id, 'leader': p.leader.id, 'replicas': [r.id for r in p.replicas], 'isr': [r.id for r in p.isr]} for p in desc.partitions]}

def configs(keys):
    r = ConfigResource(ResourceType.TOPIC, A)
    cs = a.describe_configs([r])[r].result(10)
    return {k: {'value': cs[k].value, 'source': str(cs[k].source), 'default': cs[k].is_default, 'readOnly': cs[k].is_read_only} for k in keys if k in cs}
out['describeConfigs'] = configs(['retention.ms', 'cleanup.policy', 'segment.bytes', 'max.message.bytes', 'compression.type'])

def alter(entries):
    r = ConfigResource(ResourceType.TOPIC, A, incremental_configs=entries)
    return wait({'alter': a.incremental_alter_configs([r])[r]})['alter']
out['alterIncremental'] = alter([ConfigEntry('retention.ms', '7200000', incremental_operation=AlterConfigOpType.SET),
                                 ConfigEntry('cleanup.policy', 'compact', incremental_operation=AlterConfigOpType.APPEND)])
for _ in range(100):  # Kafka applies altered configs when its broker replays the controller's record
    out['describeAltered'] = configs(['retention.ms', 'cleanup.policy'])
    if out['describeAltered']['retention.ms']['value'] == '7200000':
        break
    time.sleep(0.1)
out['alterNotANumber'] = alter([ConfigEntry('retention.ms', 'soon', incremental_operation=AlterConfigOpType.SET)])
out['alterUnknownName'] = alter([ConfigEntry('no.such.config', '1', incremental_operation=AlterConfigOpType.SET)])
out['createPartitions'] = wait(a.create_partitions([NewPartitions(A, 5)]))
out['shrinkPartitions'] = wait(a.create_partitions([NewPartitions(A, 2)]))

p = Producer({'bootstrap.servers': b})
for i in range(15):
    p.produce(A, key=b'k%d' % i, value=b'v', partition=i // 10)
assert p.flush(20) == 0

def offsets(spec):
    fs = a.list_offsets({TopicPartition(A, i): spec for i in range(3)})
    return {str(tp.partition): f.result(10).offset for tp, f in fs.items()}
out['listEarliest'] = offsets(OffsetSpec.earliest())
out['listLatest'] = offsets(OffsetSpec.latest())
fs = a.delete_records([TopicPartition(A, 0, 4)])
out['deleteRecords'] = {str(tp.partition): f.result(10).low_watermark for tp, f in fs.items()}
fs = a.delete_records([TopicPartition(A, 1, 99)])
out['deleteRecordsOutOfRange'] = wait({str(tp.partition): f for tp, f in fs.items()})
out['listEarliestAfterDelete'] = offsets(OffsetSpec.earliest())

# A fresh Kafka answers COORDINATOR_LOAD_IN_PROGRESS while it loads __consumer_offsets (one
# partition in test/jvm/kafka.ts, so one coordinator for every group): wait until it answers.
for _ in range(300):
    try:
        a.list_consumer_group_offsets([ConsumerGroupTopicPartitions(prefix + '-warmup')])[prefix + '-warmup'].result(10)
        break
    except KafkaException as e:
        if e.args[0].code() not in (KafkaError.COORDINATOR_LOAD_IN_PROGRESS, KafkaError.COORDINATOR_NOT_AVAILABLE, KafkaError.NOT_COORDINATOR):
            raise
        time.sleep(0.1)
for _ in range(50):
    fs = a.alter_consumer_group_offsets([ConsumerGroupTopicPartitions(G, [TopicPartition(A, 0, 7), TopicPartition(A, 1, 2)])])
    out['alterGroupOffsets'] = {k: sorted((tp.partition, tp.offset, tp.error.name() if tp.error else None) for tp in f.result(10).topic_partitions) for k, f in fs.items()}
    if 'COORDINATOR_LOAD_IN_PROGRESS' not in json.dumps(out['alterGroupOffsets']):
        break
    time.sleep(0.1)
fs = a.list_consumer_group_offsets([ConsumerGroupTopicPartitions(G)])
out['listGroupOffsets'] = {k: sorted((tp.topic, tp.partition, tp.offset) for tp in f.result(10).topic_partitions) for k, f in fs.items()}

c = Consumer({'bootstrap.servers': b, 'group.id': prefix + '-live', 'auto.offset.reset': 'earliest', 'partition.assignment.strategy': 'range'})
c.subscribe([A])
while c.poll(1) is None or not c.assignment():
    pass
groups = a.list_consumer_groups().result(10)
out['listGroups'] = sorted((g.group_id, str(g.state)) for g in groups.valid if g.group_id.startswith(prefix))
dg = a.describe_consumer_groups([prefix + '-live', G])
described = {}
for k, f in dg.items():
    g = f.result(10)
    described[k] = {'state': str(g.state), 'assignor': g.partition_assignor, 'simple': g.is_simple_consumer_group, 'members': len(g.members),
                    'assigned': sorted(tp.partition for m in g.members for tp in m.assignment.topic_partitions)}
out['describeGroups'] = described
c.close()
cl = a.describe_cluster().result(10)
out['describeCluster'] = {'nodes': [n.id for n in cl.nodes], 'controllerIsNode': cl.controller is not None and cl.controller.id == cl.nodes[0].id, 'clusterId': bool(cl.cluster_id)}
out['deleteGroups'] = wait(a.delete_consumer_groups([G]))
out['deleteGroupsAgain'] = wait(a.delete_consumer_groups([G]))
out['deleteTopics'] = wait(a.delete_topics([A, B], operation_timeout=20))
out['deleteTopicsAgain'] = wait(a.delete_topics([A]))
print(json.dumps(out))
sys.stdout.flush()
os._exit(0)  # no librdkafka handle teardown in the interpreter's finalization: the answer is out
