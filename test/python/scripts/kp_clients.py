# kafka-python (PyPI's newest) for test/integration/pypi-*.test.ts: the producer with each
# codec, keys and headers; reading back by assignment; a consumer group of two members with
# manual commits; and a transaction committed and one aborted (send_offsets_to_transaction),
# read at read_committed. argv: bootstrap, prefix.
import json, sys, threading, time
import kafka
from kafka import KafkaProducer, KafkaConsumer, TopicPartition, OffsetAndMetadata
from kafka.admin import KafkaAdminClient, NewTopic

b, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'kpc')
T, TX = prefix + '-codecs', prefix + '-tx'
admin = KafkaAdminClient(bootstrap_servers=b)
admin.create_topics([NewTopic(T, 4, 1), NewTopic(TX, 2, 1)])
admin.close()
out = {'version': kafka.__version__}

for codec in [None, 'gzip', 'snappy', 'lz4', 'zstd']:
    p = KafkaProducer(bootstrap_servers=b, compression_type=codec, acks='all', enable_idempotence=True, linger_ms=5)
    name = codec or 'none'
    futures = [p.send(T, key=b'k%d' % i, value=('%s-%d' % (name, i)).encode(), headers=[('i', str(i).encode()), ('codec', name.encode())])
               for i in range(20)]
    p.flush(20)
    out.setdefault('produced', {})[name] = sum(1 for f in futures if f.get(10).offset >= 0)
    p.close()

c = KafkaConsumer(bootstrap_servers=b, enable_auto_commit=False, auto_offset_reset='earliest')
c.assign([TopicPartition(T, i) for i in range(4)])
c.seek_to_beginning()
recs, deadline = [], time.time() + 30
while len(recs) < 100 and time.time() < deadline:
    for msgs in c.poll(timeout_ms=500).values():
        recs.extend(msgs)
c.close()
out['read'] = len(recs)
out['headersOk'] = all(dict((k, v.decode()) for k, v in r.headers) == {'i': r.value.decode().split('-')[1], 'codec': r.value.decode().split('-')[0]} for r in recs)
parts = {}
for r in recs: parts.setdefault(r.key, set()).add(r.partition)
out['keysOnOnePartition'] = all(len(s) == 1 for s in parts.values())

# two members of one group, committing after each poll
conf = dict(bootstrap_servers=b, group_id=prefix + '-group', enable_auto_commit=False, auto_offset_reset='earliest',
            heartbeat_interval_ms=300, session_timeout_ms=10000)
def member():
    m = KafkaConsumer(T, **conf)
    # Metadata before the first join, so the leader's first assignment covers the topic.
    # Otherwise the metadata arriving after it makes the leader rejoin, and kafka-python 3.0.12
    # loses a rejoin whose JoinGroup/SyncGroup are still in flight when the poll's timer ends:
    # the finished join is never applied, no heartbeat follows, the member reads nothing. Real
    # Kafka 4.4 gets the same (kafka/coordinator/base.py join_group_async, consumer.py need_rejoin).
    m.partitions_for_topic(T)
    return m
members = [member()]
seen, deadline, seen_lock = {}, time.time() + 60, threading.Lock()
def poll_one(m):
    batch = m.poll(timeout_ms=200)
    with seen_lock:
        for msgs in batch.values():
            for r in msgs: seen[r.value] = seen.get(r.value, 0) + 1
    if batch:
        m.commit()
while len(seen) < 50 and time.time() < deadline: poll_one(members[0])
members.append(member())
# Each member polls in its own thread, as applications do. Polled in turn from one thread, a
# member is never inside poll() while the other rejoins, so the same kafka-python race loses
# every join the leader makes and it rejoins for ever (a rebalance each 400 ms, the leader still
# holding all four partitions).
stop = threading.Event()
def run(m):
    while not stop.is_set(): poll_one(m)
threads = [threading.Thread(target=run, args=(m,)) for m in members]
for t in threads: t.start()
def settled():
    return all(m.assignment() for m in members) and sorted(tp.partition for m in members for tp in m.assignment()) == [0, 1, 2, 3]
while (len(seen) < 100 or not settled()) and time.time() < deadline: time.sleep(0.05)
stop.set()
for t in threads: t.join()
assignments = sorted(sorted(tp.partition for tp in m.assignment()) for m in members)
committed = sum(members[0].committed(TopicPartition(T, i)) or 0 for i in range(4))
for m in members: m.close()
out['group'] = {'distinct': len(seen), 'duplicates': sum(seen.values()) - len(seen), 'assignments': assignments, 'committed': committed}

# transactions
p = KafkaProducer(bootstrap_servers=b, transactional_id=prefix + '-txn')
p.init_transactions()
g = KafkaConsumer(bootstrap_servers=b, group_id=prefix + '-txgroup', enable_auto_commit=False)
p.begin_transaction()
for i in range(4): p.send(TX, value=b'c%d' % i, partition=i % 2)
p.send_offsets_to_transaction({TopicPartition(T, 0): OffsetAndMetadata(7, '', -1)}, g.group_metadata() if hasattr(g, 'group_metadata') else prefix + '-txgroup')
p.commit_transaction()
p.begin_transaction()
for i in range(3): p.send(TX, value=b'a%d' % i, partition=i % 2)
p.flush()
p.abort_transaction()
p.close()
def read(level):
    c = KafkaConsumer(bootstrap_servers=b, isolation_level=level, enable_auto_commit=False, auto_offset_reset='earliest')
    c.assign([TopicPartition(TX, 0), TopicPartition(TX, 1)])
    got, deadline = [], time.time() + 5
    ends = c.end_offsets([TopicPartition(TX, 0), TopicPartition(TX, 1)])
    while time.time() < deadline and any(c.position(tp) < e for tp, e in ends.items()):
        for msgs in c.poll(timeout_ms=200).values(): got.extend(r.value.decode() for r in msgs)
    c.close()
    return sorted(got)
out['txn'] = {'committed': read('read_committed'), 'uncommitted': read('read_uncommitted'),
              'offset': g.committed(TopicPartition(T, 0))}
g.close()
print(json.dumps(out))
