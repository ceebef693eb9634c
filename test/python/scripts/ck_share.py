# confluent-kafka's ShareConsumer (librdkafka's KIP-932 share consumer) against a broker:
# argv: bootstrap topic group count. Consumer A (explicit acknowledgement) accepts even
# offsets, releases odd ones, then accepts them when they come back (delivery count 2), and
# rejects nothing; consumer B (implicit) of the same group afterwards gets nothing. Prints one
# JSON line.
import json
import sys
import time

import confluent_kafka
from confluent_kafka import AcknowledgeType, ShareConsumer

bootstrap, topic, group, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def consumer(mode):
    c = ShareConsumer({'bootstrap.servers': bootstrap, 'group.id': group, 'share.acknowledgement.mode': mode})
    c.subscribe([topic])
    return c


log = []
done = set()
a = consumer('explicit')
deadline = time.time() + 30
while len(done) < count and time.time() < deadline:
    msgs = a.poll(0.5) or []
    for m in msgs:
        if m.error():
            log.append('error:%s' % m.error())
            continue
        n = m.delivery_count()
        if m.offset() % 2 == 0 or n > 1:
            a.acknowledge(m, AcknowledgeType.ACCEPT)
            done.add(m.offset())
            log.append('%d:%d:accept' % (m.offset(), n))
        else:
            a.acknowledge(m, AcknowledgeType.RELEASE)
            log.append('%d:%d:release' % (m.offset(), n))
    if msgs:
        a.commit_sync()
a.close()

b = consumer('implicit')
after = 0
end = time.time() + 3
while time.time() < end:
    after += len([m for m in (b.poll(0.5) or []) if not m.error()])
b.close()
version = confluent_kafka.version()
version = version[0] if isinstance(version, tuple) else version
print(json.dumps({'version': version, 'libversion': confluent_kafka.libversion()[0], 'log': log, 'done': len(done), 'after': after}))
