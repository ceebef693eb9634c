// Client quotas through the Java clients (kafka-clients 4.4.0), the scenarios named on the
// command line, one JSON line each:
//
//   java -cp 'test/jvm/.cache/lib/*' Quotas.java <bootstrap> <scenario>,<arg>,... [<scenario>,...]
//
//   describe,<user|client-id|ip>
//       Admin.describeClientQuotas with a filter "any entity having this type" (as
//       kafka-configs --describe --entity-type ... does), entities and values sorted
//   alter-invalid
//       Admin.alterClientQuotas with alterations the broker refuses: each one's exception
//   produce,<topic>,<client.id>,<records>,<bytes each>
//       a producer (acks=all) sending the records and flushing; elapsed ms and its
//       produce-throttle-time-avg/max metrics
//   consume,<topic>,<client.id>,<records>
//       a consumer (assign, from the beginning) reading that many records; elapsed ms and its
//       fetch-throttle-time-avg/max metrics
//
// A broken expectation exits 1 with a message.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.*;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class Quotas {
  static final ObjectMapper JSON = new ObjectMapper();
  static String bootstrap;

  static void emit(Map<String, Object> m) throws Exception {
    System.out.println(JSON.writeValueAsString(m));
    System.out.flush();
  }

  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static void fail(String msg) {
    System.err.println("FAILED: " + msg);
    System.exit(1);
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    for (int i = 1; i < args.length; i++) {
      String[] a = args[i].split(",");
      switch (a[0]) {
        case "describe" -> describe(a[1]);
        case "alter-invalid" -> alterInvalid();
        case "produce" -> produce(a[1], a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]));
        case "consume" -> consume(a[1], a[2], Integer.parseInt(a[3]));
        default -> fail("unknown scenario " + a[0]);
      }
    }
  }

  static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  static void describe(String entityType) throws Exception {
    try (Admin admin = admin()) {
      ClientQuotaFilter filter = ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntityType(entityType)));
      Map<ClientQuotaEntity, Map<String, Double>> quotas = admin.describeClientQuotas(filter).entities().get();
      List<Map<String, Object>> out = new ArrayList<>();
      for (var e : quotas.entrySet()) {
        out.add(obj("entity", new TreeMap<>(e.getKey().entries()), "values", new TreeMap<>(e.getValue())));
      }
      out.sort(Comparator.comparing(Object::toString));
      emit(obj("scenario", "describe", "entityType", entityType, "entries", out));
    }
  }

  static void alterInvalid() throws Exception {
    List<ClientQuotaAlteration> alterations = List.of(
        new ClientQuotaAlteration(
            new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "bad-key")),
            List.of(new ClientQuotaAlteration.Op("connection_creation_rate", 10.0))),
        new ClientQuotaAlteration(
            new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "bad-fraction")),
            List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 10.5))),
        new ClientQuotaAlteration(
            new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "fine")),
            List.of(new ClientQuotaAlteration.Op("request_percentage", 25.0))));
    try (Admin admin = admin()) {
      AlterClientQuotasResult result = admin.alterClientQuotas(alterations, new AlterClientQuotasOptions().validateOnly(true));
      Map<String, Object> outcomes = new TreeMap<>();
      for (var e : result.values().entrySet()) {
        String key = new TreeMap<>(e.getKey().entries()).toString();
        try {
          e.getValue().get();
          outcomes.put(key, "ok");
        } catch (ExecutionException x) {
          outcomes.put(key, x.getCause().getClass().getSimpleName() + ": " + x.getCause().getMessage());
        }
      }
      emit(obj("scenario", "alter-invalid", "outcomes", outcomes));
    }
  }

  static double metric(Map<MetricName, ? extends Metric> metrics, String group, String name) {
    for (var e : metrics.entrySet()) {
      if (e.getKey().group().equals(group) && e.getKey().name().equals(name)) return ((Number) e.getValue().metricValue()).doubleValue();
    }
    fail("no metric " + group + "/" + name);
    return 0;
  }

  static void produce(String topic, String clientId, int records, int size) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    byte[] value = new byte[size];
    Arrays.fill(value, (byte) 'q');
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      producer.partitionsFor(topic);
      long start = System.nanoTime();
      for (int i = 0; i < records; i++) producer.send(new ProducerRecord<>(topic, 0, null, value));
      producer.flush();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      var m = producer.metrics();
      emit(obj(
          "scenario", "produce",
          "clientId", clientId,
          "records", records,
          "elapsedMs", elapsedMs,
          "throttleAvg", metric(m, "producer-metrics", "produce-throttle-time-avg"),
          "throttleMax", metric(m, "producer-metrics", "produce-throttle-time-max")));
    }
  }

  static void consume(String topic, String clientId, int records) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long start = System.nanoTime();
      int read = 0;
      long bytes = 0;
      long deadline = System.currentTimeMillis() + 90_000;
      while (read < records) {
        if (System.currentTimeMillis() > deadline) fail("read " + read + " of " + records + " records");
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          read++;
          bytes += r.value().length;
        }
      }
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      var m = consumer.metrics();
      emit(obj(
          "scenario", "consume",
          "clientId", clientId,
          "records", read,
          "bytes", bytes,
          "elapsedMs", elapsedMs,
          "throttleAvg", metric(m, "consumer-fetch-manager-metrics", "fetch-throttle-time-avg"),
          "throttleMax", metric(m, "consumer-fetch-manager-metrics", "fetch-throttle-time-max")));
    }
  }
}
