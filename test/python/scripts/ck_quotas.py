# confluent-kafka (librdkafka) against a broker enforcing client quotas, for
# test/integration/quotas-python.test.ts: a producer and a consumer whose client ids carry byte-rate
# quotas, each with a throttle_cb recording the broker's throttle events (librdkafka reports every
# response with a non-zero throttle_time_ms). argv: bootstrap, topic to produce to, topic to read
# (holding `count` records), record count. Prints one JSON object.
import json, sys, time
from confluent_kafka import Producer, Consumer, TopicPartition, OFFSET_BEGINNING

b, produce_topic, consume_topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
out = {}

def recorder(events):
    def cb(e):
        events.append({'broker': e.broker_name, 'brokerId': e.broker_id, 'ms': round(e.throttle_time * 1000)})
    return cb

events = []
p = Producer({'bootstrap.servers': b, 'client.id': 'ck-quota-producer', 'acks': 'all', 'linger.ms': 5,
              # Many small requests (the default batch.size of 1 MB would send the whole burst in one):
              'batch.size': 16384,
              'throttle_cb': recorder(events)})
start = time.monotonic()
for i in range(count):
    while True:
        try:
            p.produce(produce_topic, b'p' * 1000, partition=0)
            break
        except BufferError:
            p.poll(0.1)
    p.poll(0)
left = p.flush(60)
out['producer'] = {'unsent': left, 'elapsedMs': round((time.monotonic() - start) * 1000), 'events': len(events),
                   'maxMs': max([e['ms'] for e in events], default=0)}

events = []
c = Consumer({'bootstrap.servers': b, 'group.id': 'ck-quota', 'client.id': 'ck-quota-consumer', 'enable.auto.commit': False,
              'throttle_cb': recorder(events)})
c.assign([TopicPartition(consume_topic, 0, OFFSET_BEGINNING)])
start = time.monotonic()
read = 0
deadline = time.monotonic() + 90
while read < count and time.monotonic() < deadline:
    m = c.poll(0.5)
    if m is not None and m.error() is None:
        read += 1
out['consumer'] = {'read': read, 'elapsedMs': round((time.monotonic() - start) * 1000), 'events': len(events),
                   'maxMs': max([e['ms'] for e in events], default=0)}
c.close()
print(json.dumps(out))
