// Kafka Streams 4.4 against a broker: a word count with processing.guarantee=exactly_once_v2.
//
//   java -cp 'test/jvm/.cache/lib/*' WordCount.java <bootstrap> <appId> <in> <out> <stateDir> <line>...
//
// Produces the lines to <in>, runs the topology (words regrouped through a repartition topic,
// counted in a store with a changelog topic, every update written to <out>) until <out> holds
// one update per word produced, closes it, and prints one JSON line: the restored changelog
// records (a fresh state dir after a restart restores from the changelog), the internal
// topics it made, and <out> read at read_committed.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.*;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.*;
import org.apache.kafka.streams.kstream.*;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueStore;

public class WordCount {
  static final ObjectMapper JSON = new ObjectMapper();

  static void fail(String msg) {
    System.err.println("FAILED: " + msg);
    System.exit(1);
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String appId = args[1];
    String in = args[2];
    String out = args[3];
    String stateDir = args[4];
    List<String> lines = Arrays.asList(args).subList(5, args.length);
    Map<String, Object> result = new LinkedHashMap<>();

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      for (String t : List.of(in, out)) {
        try {
          admin.createTopics(List.of(new NewTopic(t, 2, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) throw e;
        }
      }
      int outBefore = readOutput(bootstrap, out).size();
      Properties pp = new Properties();
      pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      int words = 0;
      try (KafkaProducer<String, String> p = new KafkaProducer<>(pp)) {
        for (int i = 0; i < lines.size(); i++) {
          p.send(new ProducerRecord<>(in, "line" + i, lines.get(i)));
          words += lines.get(i).split(" ").length;
        }
      }

      StreamsBuilder builder = new StreamsBuilder();
      builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
          .flatMapValues(v -> Arrays.asList(v.toLowerCase().split(" ")))
          .groupBy((k, w) -> w, Grouped.with("words", Serdes.String(), Serdes.String()))
          // The changelog rolls its segments after 100 ms, so the broker's cleaner can compact all
          // but the last one soon.
          .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long())
              .withLoggingEnabled(Map.of("segment.ms", "100", "min.cleanable.dirty.ratio", "0.01")))
          .toStream()
          .to(out, Produced.with(Serdes.String(), Serdes.Long()));

      Properties sp = new Properties();
      sp.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
      sp.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      sp.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
      sp.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
      sp.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
      sp.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
      sp.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
      sp.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
      // Streams members do not leave the group on close: the next run's rebalance waits for the
      // old member's session to time out, 45 s by default.
      sp.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
      sp.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);

      AtomicLong restored = new AtomicLong();
      List<String> restoredStores = Collections.synchronizedList(new ArrayList<>());
      List<String> states = Collections.synchronizedList(new ArrayList<>());
      KafkaStreams streams = new KafkaStreams(builder.build(), sp);
      streams.setGlobalStateRestoreListener(new StateRestoreListener() {
        public void onRestoreStart(TopicPartition tp, String store, long start, long end) {}

        public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long n) {
          restored.addAndGet(n);
        }

        public void onRestoreEnd(TopicPartition tp, String store, long total) {
          restoredStores.add(tp.toString());
        }
      });
      streams.setStateListener((now, before) -> states.add(now.toString()));
      Throwable[] error = {null};
      streams.setUncaughtExceptionHandler(e -> {
        error[0] = e;
        e.printStackTrace();
        return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      streams.start();
      long deadline = System.currentTimeMillis() + 90_000;
      List<List<Object>> output = List.of();
      while (System.currentTimeMillis() < deadline && error[0] == null) {
        output = readOutput(bootstrap, out);
        if (output.size() >= outBefore + words) break;
        Thread.sleep(200);
      }
      streams.close(Duration.ofSeconds(30));
      if (error[0] != null) fail("streams failed: " + error[0]);
      if (output.size() < outBefore + words) fail("output has " + output.size() + " records, expected " + (outBefore + words));

      List<String> internal = new ArrayList<>();
      for (String t : admin.listTopics().names().get()) if (t.startsWith(appId + "-")) internal.add(t);
      Collections.sort(internal);
      Map<String, Object> configs = new TreeMap<>();
      for (String t : internal) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, t);
        Config c = admin.describeConfigs(List.of(r)).all().get().get(r);
        configs.put(t, Map.of("cleanup.policy", c.get("cleanup.policy").value(), "partitions",
            admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions().size()));
      }
      Map<String, Object> committed = new TreeMap<>();
      admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get().forEach((tp, om) -> committed.put(tp.toString(), om.offset()));

      result.put("states", new ArrayList<>(states));
      result.put("restoredRecords", restored.get());
      result.put("restoredPartitions", new ArrayList<>(restoredStores));
      result.put("internalTopics", configs);
      result.put("committed", committed);
      result.put("output", readOutput(bootstrap, out));
      result.put("outputUncommittedCount", readOutputAt(bootstrap, out, "read_uncommitted").size());
    }
    System.out.println(JSON.writeValueAsString(result));
  }

  static List<List<Object>> readOutput(String bootstrap, String topic) {
    return readOutputAt(bootstrap, topic, "read_committed");
  }

  /** [word, count] of every record in the output topic, partition by partition. */
  static List<List<Object>> readOutputAt(String bootstrap, String topic, String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    List<List<Object>> out = new ArrayList<>();
    try (KafkaConsumer<String, Long> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      for (var info : c.partitionsFor(topic)) tps.add(new TopicPartition(topic, info.partition()));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < deadline && tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<String, Long> r : c.poll(Duration.ofMillis(100))) out.add(List.of(r.key(), r.value()));
      }
    }
    return out;
  }
}
