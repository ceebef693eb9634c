# confluent-kafka transactions for test/integration/pypi-*.test.ts: a committed and an aborted
# transaction, each also committing a group's offsets with send_offsets_to_transaction, then a
# third committed one; read back at read_committed and read_uncommitted, and the group's
# committed offset. argv: bootstrap, prefix.
import json, os, sys
from confluent_kafka import Producer, Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

b, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'ckt')
T, SRC = prefix + '-tx', prefix + '-src'
admin = AdminClient({'bootstrap.servers': b})
for f in admin.create_topics([NewTopic(T, 2, 1), NewTopic(SRC, 1, 1)]).values():
    f.result(20)
p = Producer({'bootstrap.servers': b, 'transactional.id': prefix + '-txn', 'transaction.timeout.ms': 30000})
p.init_transactions(30)
group = Consumer({'bootstrap.servers': b, 'group.id': prefix + '-group', 'enable.auto.commit': False})
meta = group.consumer_group_metadata()
p.begin_transaction()
for i in range(5): p.produce(T, value=('c%d' % i).encode(), partition=i % 2, headers=[('tx', b'1')])
p.send_offsets_to_transaction([TopicPartition(SRC, 0, 17)], meta, 20)
p.commit_transaction(20)
p.begin_transaction()
for i in range(4): p.produce(T, value=('a%d' % i).encode(), partition=i % 2)
p.send_offsets_to_transaction([TopicPartition(SRC, 0, 99)], meta, 20)
p.flush(10)
p.abort_transaction(20)
p.begin_transaction()
p.produce(T, value=b'c5', partition=0)
p.commit_transaction(20)

def read(level):
    c = Consumer({'bootstrap.servers': b, 'group.id': prefix + '-reader-' + level, 'isolation.level': level, 'enable.partition.eof': True})
    c.assign([TopicPartition(T, 0, 0), TopicPartition(T, 1, 0)])
    got, eof = [], set()
    while len(eof) < 2:
        m = c.poll(15)
        if m is None: raise SystemExit('no message or EOF in 15 s')
        if m.error():
            if m.error().code() == -191: eof.add(m.partition()); continue
            raise SystemExit(str(m.error()))
        got.append(m.value().decode())
    c.close()
    return got

committed = read('read_committed')
uncommitted = read('read_uncommitted')
offset = group.committed([TopicPartition(SRC, 0)], 10)[0].offset
group.close()
wm = {}
c = Consumer({'bootstrap.servers': b, 'group.id': prefix + '-wm'})
for part in (0, 1): wm[part] = c.get_watermark_offsets(TopicPartition(T, part), 10)[1]
c.close()
print(json.dumps({'committed': sorted(committed), 'uncommitted': sorted(uncommitted), 'offset': offset, 'highWatermarks': wm}))
sys.stdout.flush()
os._exit(0)  # no librdkafka handle teardown in the interpreter's finalization: the answer is out
