# confluent-kafka (librdkafka) and KIP-467 record errors, for test/integration/record-errors-clients.test.ts:
# ten messages in one batch into a compacted topic, two without a key (librdkafka's test 0011:
# the keyless ones fail with the broker's INVALID_RECORD, the rest of the batch with the local
# _INVALID_DIFFERENT_RECORD); the same with one message per batch (batch.size=1: only the
# keyless ones fail); a batch with one timestamp older than message.timestamp.before.max.ms;
# then what each topic holds. argv: bootstrap, prefix.
import json, sys, time
from confluent_kafka import Producer, Consumer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

b, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else 'cre')
admin = AdminClient({'bootstrap.servers': b})
topics = {
    'batch': (prefix + '-batch', {'cleanup.policy': 'compact'}),
    'single': (prefix + '-single', {'cleanup.policy': 'compact'}),
    'timestamp': (prefix + '-ts', {'message.timestamp.before.max.ms': '3600000'}),
}
for f in admin.create_topics([NewTopic(t, 1, 1, config=c) for t, c in topics.values()]).values():
    f.result(20)
time.sleep(1)


def produce(case, conf, messages):
    reports = {}

    def dr(err, msg):
        i = int(msg.value().decode().split('-')[1])
        reports[i] = None if err is None else {'code': err.name(), 'str': err.str(), 'retriable': err.retriable()}

    p = Producer({'bootstrap.servers': b, 'linger.ms': 200, 'retries': 3, **conf})
    topic = topics[case][0]
    for i, (key, ts) in enumerate(messages):
        kwargs = {'timestamp': ts} if ts else {}
        p.produce(topic, key=key, value=('m-%d' % i).encode(), partition=0, on_delivery=dr, **kwargs)
    left = p.flush(30)
    if left: raise SystemExit('%d messages not delivered in 30 s' % left)
    return [reports[i] for i in range(len(messages))]


def read(case):
    c = Consumer({'bootstrap.servers': b, 'group.id': prefix + '-r-' + case, 'enable.partition.eof': True})
    c.assign([TopicPartition(topics[case][0], 0, 0)])
    got = []
    while True:
        m = c.poll(15)
        if m is None: raise SystemExit('no message or EOF in 15 s')
        if m.error():
            if m.error().code() == -191: break
            raise SystemExit(str(m.error()))
        got.append([m.offset(), m.value().decode()])
    c.close()
    return got


keyed = lambda i: (None if i in (3, 7) else b'k%d' % i, None)
now = int(time.time() * 1000)
out = {
    'batch': produce('batch', {}, [keyed(i) for i in range(10)]),
    'single': produce('single', {'batch.size': 1}, [keyed(i) for i in range(10)]),
    'timestamp': produce('timestamp', {}, [(b'k', 1000 if i == 2 else now) for i in range(5)]),
}
out['stored'] = {case: read(case) for case in topics}
print(json.dumps(out))
