# confluent-kafka-python's Schema Registry client and serializers against kafkalite's registry,
# for test/integration/schema-registry-clients.test.ts: Avro (AvroSerializer/AvroDeserializer, a
# reader schema evolved with a default), JSON Schema (JSONSerializer/JSONDeserializer) and
# Protobuf (ProtobufSerializer/ProtobufDeserializer, with a referenced .proto file and a
# well-known import), each round-tripping through a kafkalite topic; then the client's REST
# calls (versions, lookup, compatibility, config, an incompatible registration, deletes).
# argv: bootstrap, registry url, prefix. Prints one JSON line.
import json, sys
from confluent_kafka import Producer, Consumer, TopicPartition, version
from confluent_kafka.serialization import SerializationContext, MessageField
from confluent_kafka.schema_registry import SchemaRegistryClient, Schema, SchemaReference
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.avro import AvroSerializer, AvroDeserializer
from confluent_kafka.schema_registry.json_schema import JSONSerializer, JSONDeserializer
from confluent_kafka.schema_registry.protobuf import ProtobufSerializer, ProtobufDeserializer
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, timestamp_pb2

b, url, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
sr = SchemaRegistryClient({'url': url})
v = version()
out = {'version': v[0] if isinstance(v, tuple) else v}


def roundtrip(topic, values, serialize, deserialize):
    p = Producer({'bootstrap.servers': b})
    for v in values:
        p.produce(topic, value=serialize(v, SerializationContext(topic, MessageField.VALUE)))
    if p.flush(20) != 0:
        raise SystemExit('produce failed')
    c = Consumer({'bootstrap.servers': b, 'group.id': prefix + topic, 'enable.auto.commit': False})
    c.assign([TopicPartition(topic, 0, 0)])
    got, raw = [], []
    while len(got) < len(values):
        m = c.poll(10)
        if m is None:
            raise SystemExit('no message within 10 s on ' + topic)
        if m.error():
            raise SystemExit(str(m.error()))
        raw.append(m.value())
        got.append(deserialize(m.value(), SerializationContext(topic, MessageField.VALUE)))
    c.close()
    return got, raw


# ---- Avro ----
avro_v1 = json.dumps({'type': 'record', 'name': 'Order', 'namespace': 'shop', 'fields': [
    {'name': 'id', 'type': 'long'}, {'name': 'item', 'type': 'string'}, {'name': 'qty', 'type': 'int'}]})
avro_v2 = json.dumps({'type': 'record', 'name': 'Order', 'namespace': 'shop', 'fields': [
    {'name': 'id', 'type': 'long'}, {'name': 'item', 'type': 'string'}, {'name': 'qty', 'type': 'long'},
    {'name': 'note', 'type': 'string', 'default': 'none'}]})
T = prefix + '-avro'
orders = [{'id': i, 'item': 'widget-%d' % i, 'qty': i * 2} for i in range(3)]
got, raw = roundtrip(T, orders, AvroSerializer(sr, avro_v1), AvroDeserializer(sr))
out['avro'] = got
out['avroWire'] = [r[:5].hex() for r in raw]
# Read the v1 records with an evolved reader schema (int -> long, a field with a default added).
c = AvroDeserializer(sr, schema_str=avro_v2)
out['avroEvolved'] = [c(r, SerializationContext(T, MessageField.VALUE)) for r in raw]
v2 = sr.register_schema(T + '-value', Schema(avro_v2, 'AVRO'))
out['avroV2Id'] = v2
try:
    sr.register_schema(T + '-value', Schema(json.dumps({'type': 'record', 'name': 'Order', 'namespace': 'shop',
                                                         'fields': [{'name': 'other', 'type': 'string'}]}), 'AVRO'))
    out['incompatible'] = None
except SchemaRegistryError as e:
    out['incompatible'] = {'http': e.http_status_code, 'code': e.error_code, 'message': e.error_message}
out['avroVersions'] = sr.get_versions(T + '-value')
latest = sr.get_latest_version(T + '-value')
out['avroLatest'] = {'id': latest.schema_id, 'version': latest.version, 'type': latest.schema.schema_type}
looked = sr.lookup_schema(T + '-value', Schema(avro_v1, 'AVRO'))
out['avroLookup'] = {'id': looked.schema_id, 'version': looked.version}
out['compatV1'] = sr.test_compatibility(T + '-value', Schema(avro_v1, 'AVRO'))
out['setConfig'] = sr.set_compatibility(T + '-value', 'FULL')
out['getConfig'] = sr.get_compatibility(T + '-value')

# ---- JSON Schema ----
json_schema = json.dumps({'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'Customer', 'type': 'object',
                          'properties': {'name': {'type': 'string'}, 'age': {'type': 'integer', 'minimum': 0},
                                         'email': {'type': 'string', 'format': 'email'}},
                          'required': ['name']})
T = prefix + '-json'
customers = [{'name': 'Ada', 'age': 36, 'email': 'ada@example.com'}, {'name': 'Linus'}]
got, raw = roundtrip(T, customers, JSONSerializer(json_schema, sr), JSONDeserializer(json_schema, schema_registry_client=sr))
out['json'] = got
out['jsonType'] = sr.get_latest_version(T + '-value').schema.schema_type

# ---- Protobuf: a message importing another user file and google/protobuf/timestamp.proto ----
pool = descriptor_pool.Default()
money = descriptor_pb2.FileDescriptorProto(name='shop/money.proto', package='shop', syntax='proto3')
m = money.message_type.add(name='Money')
m.field.add(name='cents', number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT64, label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
m.field.add(name='currency', number=2, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING, label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
pool.Add(money)
payment = descriptor_pb2.FileDescriptorProto(name='shop/payment.proto', package='shop', syntax='proto3',
                                             dependency=['shop/money.proto', 'google/protobuf/timestamp.proto'])
timestamp_pb2.Timestamp  # loads timestamp.proto into the default pool
p = payment.message_type.add(name='Payment')
p.field.add(name='id', number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING, label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
p.field.add(name='amount', number=2, type=descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE, type_name='.shop.Money',
            label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
p.field.add(name='at', number=3, type=descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE, type_name='.google.protobuf.Timestamp',
            label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
p.field.add(name='tags', number=4, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING, label=descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED)
pool.Add(payment)
Payment = message_factory.GetMessageClass(pool.FindMessageTypeByName('shop.Payment'))
T = prefix + '-proto'
payments = []
for i in range(2):
    msg = Payment(id='pay-%d' % i, tags=['a', 'b%d' % i])
    msg.amount.cents = 1000 + i
    msg.amount.currency = 'EUR'
    msg.at.seconds = 1700000000 + i
    payments.append(msg)
got, raw = roundtrip(T, payments, ProtobufSerializer(Payment, sr), ProtobufDeserializer(Payment))
out['proto'] = [{'id': g.id, 'cents': g.amount.cents, 'currency': g.amount.currency, 'at': g.at.seconds, 'tags': list(g.tags)} for g in got]
out['protoWire'] = [r[:6].hex() for r in raw]
lv = sr.get_latest_version(T + '-value')
out['protoLatest'] = {'type': lv.schema.schema_type, 'refs': [{'name': r.name, 'subject': r.subject, 'version': r.version} for r in lv.schema.references]}
out['subjects'] = sorted(s for s in sr.get_subjects() if s.startswith(prefix) or s.startswith('shop/'))
out['deleted'] = sr.delete_subject(prefix + '-json-value')
out['deletedPermanent'] = sr.delete_subject(prefix + '-json-value', permanent=True)
print(json.dumps(out))
