// The Java producer (kafka-clients 4.4.0) and KIP-467 record errors, against a broker:
//
//   java -cp 'test/jvm/.cache/lib/*' RecordErrors.java <bootstrap> <prefix>
//
// Into a compacted topic, ten records with linger.ms so that they travel in one batch, records 3
// and 7 without a key; then the same with batch.size=1 (one record per batch); then five
// records to a topic with message.timestamp.before.max.ms=1h, record 2 stamped 1970; then twenty
// 200-byte records as one batch into a topic with max.message.bytes=2000 (MESSAGE_TOO_LARGE: the
// producer splits the batch and retries, the one case it does). Prints,
// per case, each send's outcome (offset, or the exception's class and message), then what each
// topic holds. One JSON line per case on stdout.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class RecordErrors {
  static final ObjectMapper JSON = new ObjectMapper();
  static String bootstrap;

  static Properties props(Object... kv) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
    return p;
  }

  static List<Object> send(String topic, Properties extra, int n, java.util.function.IntFunction<ProducerRecord<String, String>> make) throws Exception {
    Properties p = props("linger.ms", "200", "delivery.timeout.ms", "30000", "request.timeout.ms", "10000");
    p.putAll(extra);
    List<Future<RecordMetadata>> futures = new ArrayList<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < n; i++) futures.add(producer.send(make.apply(i)));
      producer.flush();
    }
    List<Object> out = new ArrayList<>();
    for (Future<RecordMetadata> f : futures) {
      try {
        out.add(Map.of("offset", f.get().offset()));
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        out.add(Map.of("error", c.getClass().getSimpleName(), "message", String.valueOf(c.getMessage())));
      }
    }
    return out;
  }

  static List<String> read(String topic) {
    Properties p = props("group.id", topic + "-reader", "auto.offset.reset", "earliest");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      List<String> got = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 15_000;
      while (c.position(tp) < end && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) got.add(r.offset() + ":" + r.value());
      }
      return got;
    }
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    String prefix = args[1];
    String batch = prefix + "-batch", single = prefix + "-single", ts = prefix + "-ts", split = prefix + "-split";
    try (Admin admin = Admin.create(props())) {
      admin.createTopics(List.of(
          new NewTopic(batch, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
          new NewTopic(single, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
          new NewTopic(ts, 1, (short) 1).configs(Map.of("message.timestamp.before.max.ms", "3600000")),
          new NewTopic(split, 1, (short) 1).configs(Map.of("max.message.bytes", "2000")))).all().get();
    }
    Thread.sleep(1000);
    java.util.function.IntFunction<String> key = i -> i == 3 || i == 7 ? null : "k" + i;
    Properties none = new Properties();
    Properties one = new Properties();
    one.put("batch.size", "1");
    long now = System.currentTimeMillis();
    Map<String, Object> cases = new LinkedHashMap<>();
    cases.put("batch", send(batch, none, 10, i -> new ProducerRecord<>(batch, 0, key.apply(i), "m-" + i)));
    cases.put("single", send(single, one, 10, i -> new ProducerRecord<>(single, 0, key.apply(i), "m-" + i)));
    cases.put("timestamp", send(ts, none, 5, i -> new ProducerRecord<>(ts, 0, i == 2 ? 1000L : now, "k", "m-" + i)));
    Random random = new Random(42);
    cases.put("split", send(split, none, 20, i -> {
      StringBuilder v = new StringBuilder("m-" + i + "-");
      while (v.length() < 200) v.append((char) ('a' + random.nextInt(26)));
      return new ProducerRecord<>(split, 0, "k" + i, v.toString());
    }));
    Map<String, String> topicOf = Map.of("batch", batch, "single", single, "timestamp", ts, "split", split);
    for (String c : List.of("batch", "single", "timestamp", "split")) {
      String topic = topicOf.get(c);
      System.out.println(JSON.writeValueAsString(Map.of("case", c, "sends", cases.get(c), "stored", read(topic))));
    }
  }
}
