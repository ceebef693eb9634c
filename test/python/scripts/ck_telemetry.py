# confluent-kafka's producer and consumer pushing their metrics (KIP-714, librdkafka's
# enable.metrics.push defaults to true) for test/integration/telemetry-clients.test.ts. Each client
# stays open, polling, until the broker's HTTP API lists a push from its client id
# (GET <http>/api/v1/clients), which librdkafka sends between 0.5 and 1.5 push intervals after its
# GetTelemetrySubscriptions (a short interval comes from a CLIENT_METRICS resource).
# argv: bootstrap, topic, client id prefix, broker HTTP URL. Prints one JSON object.
import json, sys, time, urllib.request
from confluent_kafka import Producer, Consumer, version, libversion

b, topic, prefix, http = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
out = {'version': version()[0], 'libversion': libversion()[0]}

def pushed(client_id):
    with urllib.request.urlopen(http + '/api/v1/clients') as r:
        return [c for c in json.load(r) if c['clientId'] == client_id]

def await_push(client_id, meanwhile):
    deadline = time.time() + 60
    while not pushed(client_id):
        if time.time() > deadline:
            raise SystemExit('no push from ' + client_id)
        meanwhile()
    return pushed(client_id)[0]

p = Producer({'bootstrap.servers': b, 'client.id': prefix + '-producer'})
for i in range(10):
    p.produce(topic, key=b'k%d' % i, value=b'v%d' % i)
p.flush(30)
out['producer'] = await_push(prefix + '-producer', lambda: p.poll(0.1))
p.flush(10)

c = Consumer({'bootstrap.servers': b, 'client.id': prefix + '-consumer', 'group.id': prefix + '-group', 'auto.offset.reset': 'earliest'})
c.subscribe([topic])
read = 0
deadline = time.time() + 60
while read < 10 and time.time() < deadline:
    m = c.poll(0.5)
    if m is not None and m.error() is None:
        read += 1
out['read'] = read
out['consumer'] = await_push(prefix + '-consumer', lambda: c.poll(0.1))
c.close()
print(json.dumps(out))
