// Apache Avro (org.apache.avro:avro, by hand: no Confluent library) against a Schema Registry's
// REST API and a Kafka broker, the way a team without Confluent's serializers does it:
//
//   java -cp 'test/jvm/.cache/lib/*:test/jvm/.cache-avro/lib/*' AvroRegistry.java <bootstrap> <registry url> <topic> <count>
//
// registers the Order schema under <topic>-value (POST /subjects/{s}/versions), produces <count>
// GenericRecords in Confluent's wire format (magic byte 0, the 4-byte schema id, Avro binary),
// then reads every record of the topic (those of other clients too), fetches each writer schema
// by id (GET /schemas/ids/{id}) and decodes it with Order as the reader schema. One JSON line:
//   {"id": <registered id>, "records": [{"schemaId": .., "id": .., "item": .., "qty": ..}, ...]}

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.*;
import org.apache.avro.Schema;
import org.apache.avro.generic.*;
import org.apache.avro.io.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.*;

public class AvroRegistry {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String ORDER = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"item\",\"type\":\"string\"},{\"name\":\"qty\",\"type\":\"int\"}]}";

  static JsonNode call(String method, String url, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/vnd.schemaregistry.v1+json");
    if (body != null) b.header("Content-Type", "application/vnd.schemaregistry.v1+json").method(method, HttpRequest.BodyPublishers.ofString(body));
    else b.method(method, HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) throw new IllegalStateException(method + " " + url + ": " + res.statusCode() + " " + res.body());
    return JSON.readTree(res.body());
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], registry = args[1], topic = args[2];
    int count = Integer.parseInt(args[3]);
    Schema reader = new Schema.Parser().parse(ORDER);
    String body = JSON.writeValueAsString(Map.of("schema", reader.toString()));
    int id = call("POST", registry + "/subjects/" + topic + "-value/versions", body).get("id").asInt();

    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
      GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(reader);
      for (int i = 0; i < count; i++) {
        GenericRecord r = new GenericData.Record(reader);
        r.put("id", 100L + i);
        r.put("item", "java-" + i);
        r.put("qty", i + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(r, enc);
        enc.flush();
        producer.send(new ProducerRecord<>(topic, out.toByteArray())).get();
      }
    }

    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    List<Map<String, Object>> records = new ArrayList<>();
    Map<Integer, Schema> writers = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.currentTimeMillis() + 20000;
      while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
          ByteBuffer buf = ByteBuffer.wrap(rec.value());
          if (buf.get() != 0) throw new IllegalStateException("not Confluent's wire format at offset " + rec.offset());
          int schemaId = buf.getInt();
          Schema w = writers.get(schemaId);
          if (w == null) {
            w = new Schema.Parser().parse(call("GET", registry + "/schemas/ids/" + schemaId, null).get("schema").asText());
            writers.put(schemaId, w);
          }
          BinaryDecoder dec = DecoderFactory.get().binaryDecoder(rec.value(), 5, rec.value().length - 5, null);
          GenericRecord r = new GenericDatumReader<GenericRecord>(w, reader).read(null, dec);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("schemaId", schemaId);
          m.put("id", r.get("id"));
          m.put("item", r.get("item").toString());
          m.put("qty", r.get("qty"));
          records.add(m);
        }
      }
    }
    System.out.println(JSON.writeValueAsString(Map.of("id", id, "records", records)));
  }
}
