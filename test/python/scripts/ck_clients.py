# confluent-kafka (librdkafka) producer and consumer for test/integration/pypi-*.test.ts: each
# compression codec with keys and headers (idempotent, acks=all), read back by assignment;
# consumer groups with the classic protocol (cooperative-sticky, a second member joining) and
# with group.protocol=consumer (KIP-848), committing synchronously. argv: bootstrap, prefix.
import json, os, sys, time
from confluent_kafka import Producer, Consumer, TopicPartition, KafkaError, version, libversion
from confluent_kafka.admin import AdminClient, NewTopic

b, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'ckc')
T = prefix + '-codecs'
admin = AdminClient({'bootstrap.servers': b})
for f in admin.create_topics([NewTopic(T, 4, 1)]).values():
    f.result(20)
out = {'version': version()[0] if isinstance(version(), tuple) else version(), 'libversion': libversion()[0]}

produced = {}
for codec in ['none', 'gzip', 'snappy', 'lz4', 'zstd']:
    p = Producer({'bootstrap.servers': b, 'compression.type': codec, 'enable.idempotence': True, 'acks': 'all', 'linger.ms': 5})
    reports = []
    for i in range(25):
        p.produce(T, key='k%d' % i, value='%s-%d' % (codec, i), headers=[('i', str(i).encode()), ('codec', codec.encode())],
                  on_delivery=lambda err, m: reports.append(err))
    if p.flush(20) != 0 or len(reports) != 25 or any(reports):
        raise SystemExit('delivery failed: %r' % [e for e in reports if e])
    produced[codec] = len(reports)
out['produced'] = produced

def read_assigned(n):
    c = Consumer({'bootstrap.servers': b, 'group.id': prefix + '-reader', 'enable.partition.eof': False})
    c.assign([TopicPartition(T, p, 0) for p in range(4)])
    got = []
    deadline = time.time() + 30
    while len(got) < n and time.time() < deadline:
        m = c.poll(1)
        if m is None: continue
        if m.error(): raise SystemExit(str(m.error()))
        got.append({'p': m.partition(), 'k': m.key().decode(), 'v': m.value().decode(), 'h': {k: v.decode() for k, v in (m.headers() or [])}})
    c.close()
    return got
recs = read_assigned(125)
out['read'] = len(recs)
out['headersOk'] = all(r['h'] == {'i': r['v'].split('-')[1], 'codec': r['v'].split('-')[0]} and r['k'] == 'k' + r['v'].split('-')[1] for r in recs)
keyParts = {}
for r in recs: keyParts.setdefault(r['k'], set()).add(r['p'])
out['keysOnOnePartition'] = all(len(s) == 1 for s in keyParts.values())

def group(protocol):
    gid = '%s-%s' % (prefix, protocol)
    conf = {'bootstrap.servers': b, 'group.id': gid, 'auto.offset.reset': 'earliest', 'enable.auto.commit': False}
    if protocol == 'consumer':
        conf['group.protocol'] = 'consumer'
    else:
        conf['partition.assignment.strategy'] = 'cooperative-sticky'
        conf['session.timeout.ms'] = 10000
        conf['heartbeat.interval.ms'] = 500
    members = [Consumer(conf)]
    members[0].subscribe([T])
    seen, per = {}, [0, 0]
    deadline = time.time() + 60
    def poll_all():
        for i, c in enumerate(members):
            for m in c.consume(100, 0.2):
                if m.error(): raise SystemExit(str(m.error()))
                seen[m.value()] = seen.get(m.value(), 0) + 1
                per[i] += 1
            if c.assignment():
                try:
                    c.commit(asynchronous=False)
                except Exception as e:  # nothing to commit yet, or a rebalance under way
                    if 'NO_OFFSET' not in str(e) and 'REBALANCE' not in str(e) and 'ILLEGAL_GENERATION' not in str(e) and 'STALE' not in str(e):
                        raise
    while len(seen) < 60 and time.time() < deadline: poll_all()
    members.append(Consumer(conf))
    members[1].subscribe([T])
    while (len(seen) < 125 or not all(c.assignment() for c in members)) and time.time() < deadline: poll_all()
    assignments = [sorted(tp.partition for tp in c.assignment()) for c in members]
    for c in members: poll_all()
    committed = members[0].committed([TopicPartition(T, p) for p in range(4)], 10)
    for c in members: c.close()
    return {'distinct': len(seen), 'duplicates': sum(seen.values()) - len(seen), 'assignments': sorted(assignments),
            'committed': sum(tp.offset for tp in committed), 'readByEach': [n > 0 for n in per]}
out['classic'] = group('classic')
out['consumer'] = group('consumer')
print(json.dumps(out))
sys.stdout.flush()
os._exit(0)  # no librdkafka handle teardown in the interpreter's finalization: the answer is out
