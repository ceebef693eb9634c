// The Java producer (kafka-clients 4.4.0) against a broker, the scenarios named on the command line:
//
//   java -cp 'test/jvm/.cache/lib/*' Producer.java <bootstrap> <scenario>,<arg>,... [<scenario>,...]
//
//   codecs,<prefix>,<count>
//       per codec (none gzip snappy lz4 zstd): the default producer (idempotent, acks=all) with
//       headers into <prefix>-<codec>, read back by a consumer; DescribeProducers for the state
//   partitioner,<topic>,<count>
//       a custom Partitioner (key mod partitions, reversed) over a 4-partition topic
//   acks,<topic>
//       acks=0, acks=1 and acks=all (idempotence off for 0 and 1), each send's RecordMetadata
//   retry,<topic>,<count>
//       idempotent sends with short timeouts, for a test that drops a Produce response
//
// Every result is one JSON line on stdout; a broken expectation exits 1 with a message.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class Producer {
  static final ObjectMapper JSON = new ObjectMapper();
  static String bootstrap;

  static void emit(Map<String, Object> m) throws Exception {
    System.out.println(JSON.writeValueAsString(m));
    System.out.flush();
  }

  static void fail(String msg) {
    System.err.println("FAILED: " + msg);
    System.exit(1);
  }

  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static Properties producerProps(Object... kv) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
    return p;
  }

  static void createTopic(Admin admin, String topic, int partitions) throws Exception {
    try {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw e;
    }
  }

  /** Reads every partition of topic from the start until `expected` records arrived. */
  static List<ConsumerRecord<String, String>> readAll(String topic, int partitions, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int i = 0; i < partitions; i++) tps.add(new TopicPartition(topic, i));
      c.assign(tps);
      c.seekToBeginning(tps);
      long deadline = System.currentTimeMillis() + 20_000;
      while (out.size() < expected && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) out.add(r);
      }
      // One more poll: nothing beyond what was produced.
      for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) out.add(r);
    }
    return out;
  }

  static Map<String, Object> producerState(Admin admin, TopicPartition tp) throws Exception {
    List<ProducerState> states = admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers();
    List<Object> list = new ArrayList<>();
    for (ProducerState s : states) {
      list.add(obj("producerId", s.producerId(), "producerEpoch", s.producerEpoch(), "lastSequence", s.lastSequence()));
    }
    return obj("producers", list);
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      // Each further argument is one scenario, its words separated by commas: "codecs,pc,200".
      for (int i = 1; i < args.length; i++) {
        String[] a = args[i].split(",");
        switch (a[0]) {
          case "codecs" -> codecs(admin, a[1], Integer.parseInt(a[2]));
          case "partitioner" -> partitioner(admin, a[1], Integer.parseInt(a[2]));
          case "acks" -> acks(admin, a[1]);
          case "retry" -> retry(admin, a[1], Integer.parseInt(a[2]));
          default -> fail("unknown scenario " + a[0]);
        }
      }
    }
  }

  static void codecs(Admin admin, String prefix, int count) throws Exception {
    for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
      String topic = prefix + "-" + codec;
      createTopic(admin, topic, 1);
      // The defaults: enable.idempotence=true, acks=all; batches of many records.
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      try (KafkaProducer<String, String> p = new KafkaProducer<>(producerProps(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.LINGER_MS_CONFIG, 20))) {
        for (int i = 0; i < count; i++) {
          ProducerRecord<String, String> r = new ProducerRecord<>(topic, "k" + i, codec + " value " + i + " " + "x".repeat(i % 40));
          r.headers().add("index", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
          r.headers().add("codec", codec.getBytes(StandardCharsets.UTF_8));
          if (i % 3 == 0) r.headers().add("nullable", null);
          sent.add(p.send(r));
        }
        p.flush();
      }
      List<Long> offsets = new ArrayList<>();
      for (Future<RecordMetadata> f : sent) offsets.add(f.get().offset());
      List<ConsumerRecord<String, String>> got = readAll(topic, 1, count);
      int valuesOk = 0;
      int headersOk = 0;
      for (int i = 0; i < got.size(); i++) {
        ConsumerRecord<String, String> r = got.get(i);
        if (r.key().equals("k" + i) && r.value().equals(codec + " value " + i + " " + "x".repeat(i % 40)) && r.offset() == i) valuesOk++;
        Header[] hs = r.headers().toArray();
        boolean ok = hs.length == (i % 3 == 0 ? 3 : 2)
            && hs[0].key().equals("index") && new String(hs[0].value(), StandardCharsets.UTF_8).equals(Integer.toString(i))
            && hs[1].key().equals("codec") && new String(hs[1].value(), StandardCharsets.UTF_8).equals(codec)
            && (i % 3 != 0 || (hs[2].key().equals("nullable") && hs[2].value() == null));
        if (ok) headersOk++;
      }
      Map<String, Object> m = obj("scenario", "codec", "codec", codec, "topic", topic, "sent", count, "firstOffset", offsets.get(0),
          "lastOffset", offsets.get(offsets.size() - 1), "received", got.size(), "valuesOk", valuesOk, "headersOk", headersOk);
      m.putAll(producerState(admin, new TopicPartition(topic, 0)));
      emit(m);
    }
  }

  /** Key i goes to partition (n - 1 - i mod n); values without keys to partition 0. */
  public static class ReversePartitioner implements Partitioner {
    static int configured = 0;
    static int closed = 0;

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
      int n = cluster.partitionCountForTopic(topic);
      if (key == null) return 0;
      return n - 1 - (Integer.parseInt((String) key) % n);
    }

    @Override
    public void configure(Map<String, ?> configs) {
      configured++;
    }

    @Override
    public void close() {
      closed++;
    }
  }

  static void partitioner(Admin admin, String topic, int count) throws Exception {
    createTopic(admin, topic, 4);
    List<Object> sent = new ArrayList<>();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(producerProps(ProducerConfig.PARTITIONER_CLASS_CONFIG, ReversePartitioner.class))) {
      List<Future<RecordMetadata>> fs = new ArrayList<>();
      for (int i = 0; i < count; i++) fs.add(p.send(new ProducerRecord<>(topic, Integer.toString(i), "v" + i)));
      fs.add(p.send(new ProducerRecord<>(topic, null, "unkeyed")));
      for (int i = 0; i < fs.size(); i++) {
        RecordMetadata md = fs.get(i).get();
        sent.add(List.of(i < count ? Integer.toString(i) : "", md.partition(), md.offset()));
      }
    }
    List<Object> consumed = new ArrayList<>();
    for (ConsumerRecord<String, String> r : readAll(topic, 4, count + 1)) {
      consumed.add(List.of(r.key() == null ? "" : r.key(), r.partition(), r.offset()));
    }
    emit(obj("scenario", "partitioner", "configured", ReversePartitioner.configured, "closed", ReversePartitioner.closed, "sent", sent,
        "consumed", consumed));
  }

  static void acks(Admin admin, String topic) throws Exception {
    createTopic(admin, topic, 1);
    List<Object> results = new ArrayList<>();
    for (String acks : List.of("0", "1", "all", "-1")) {
      Properties props = producerProps(ProducerConfig.ACKS_CONFIG, acks);
      if (!acks.equals("all") && !acks.equals("-1")) props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
      try (KafkaProducer<String, String> p = new KafkaProducer<>(props)) {
        RecordMetadata md = p.send(new ProducerRecord<>(topic, "acks", "acks=" + acks)).get();
        results.add(obj("acks", acks, "partition", md.partition(), "offset", md.offset(), "hasTimestamp", md.hasTimestamp()));
      }
    }
    List<Object> values = new ArrayList<>();
    for (ConsumerRecord<String, String> r : readAll(topic, 1, 4)) values.add(List.of(r.offset(), r.value()));
    Map<String, Object> m = obj("scenario", "acks", "results", results, "values", values);
    m.putAll(producerState(admin, new TopicPartition(topic, 0)));
    emit(m);
  }

  static void retry(Admin admin, String topic, int count) throws Exception {
    createTopic(admin, topic, 1);
    Properties props = producerProps(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20000,
        ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50, ProducerConfig.LINGER_MS_CONFIG, 0);
    List<Object> offsets = new ArrayList<>();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(props)) {
      for (int i = 0; i < count; i++) offsets.add(p.send(new ProducerRecord<>(topic, "k" + i, "retry " + i)).get().offset());
    }
    List<Object> values = new ArrayList<>();
    for (ConsumerRecord<String, String> r : readAll(topic, 1, count)) values.add(r.value());
    Map<String, Object> m = obj("scenario", "retry", "offsets", offsets, "values", values);
    m.putAll(producerState(admin, new TopicPartition(topic, 0)));
    emit(m);
  }
}
