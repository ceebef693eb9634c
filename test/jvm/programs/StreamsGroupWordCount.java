// Kafka Streams 4.4 with group.protocol=streams (KIP-1071) against a broker: the word count of
// WordCount.java (words regrouped through a repartition topic, counted in a store with a
// changelog topic, every update written to <out>, processing.guarantee=exactly_once_v2), run by
// two KafkaStreams instances of the same application (two members, two processes) in this JVM.
//
//   java -cp 'test/jvm/.cache/lib/*' StreamsGroupWordCount.java <bootstrap> <appId> <in> <out> <stateDir> <line>...
//
// Produces half the lines, starts instance A and B, waits until both run and the group's tasks
// are split between them, waits for the counts (and, with the environment variable HOLD_FILE,
// until that file exists); closes B, waits until A runs every task (and, with RESTART_FILE, lets
// the test restart the broker under it),
// produces the other half and waits for their counts; closes A. Prints one JSON line: the tasks
// each instance ran while both were up, A's tasks after B left, the states, the restored
// changelog records, the internal topics and <out> read at read_committed.

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

public class StreamsGroupWordCount {
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
    List<String> first = lines.subList(0, (lines.size() + 1) / 2);
    List<String> second = lines.subList((lines.size() + 1) / 2, lines.size());
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
      int words = produce(bootstrap, in, first);

      AtomicLong restored = new AtomicLong();
      List<String> statesA = Collections.synchronizedList(new ArrayList<>());
      List<String> statesB = Collections.synchronizedList(new ArrayList<>());
      Throwable[] error = {null};
      KafkaStreams a = start(bootstrap, appId, in, out, stateDir + "/a", statesA, restored, error);
      KafkaStreams b = start(bootstrap, appId, in, out, stateDir + "/b", statesB, restored, error);

      // Both members run, and the four tasks (two subtopologies x two partitions) are split.
      long deadline = System.currentTimeMillis() + 90_000;
      while (System.currentTimeMillis() < deadline && error[0] == null) {
        Set<String> ta = tasks(a);
        Set<String> tb = tasks(b);
        Set<String> all = new TreeSet<>(ta);
        all.addAll(tb);
        if (a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING && !ta.isEmpty() && !tb.isEmpty() && all.size() == 4
            && Collections.disjoint(ta, tb)) {
          result.put("tasksA", new ArrayList<>(ta));
          result.put("tasksB", new ArrayList<>(tb));
          break;
        }
        Thread.sleep(200);
      }
      if (error[0] != null) fail("streams failed: " + error[0]);
      if (!result.containsKey("tasksA")) fail("the tasks were not split between the two instances: A " + tasks(a) + ", B " + tasks(b));
      waitOutput(bootstrap, out, outBefore + words, error);
      // With HOLD_FILE set, both keep running until that file exists (a test looks at the group meanwhile).
      String hold = System.getenv("HOLD_FILE");
      if (hold != null) {
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until && !new java.io.File(hold).exists()) Thread.sleep(100);
      }

      // B leaves: A takes every task over and counts the second half.
      b.close(Duration.ofSeconds(30));
      deadline = System.currentTimeMillis() + 90_000;
      while (System.currentTimeMillis() < deadline && error[0] == null) {
        if (a.state() == KafkaStreams.State.RUNNING && tasks(a).size() == 4) break;
        Thread.sleep(200);
      }
      result.put("tasksAfterLeave", new ArrayList<>(tasks(a)));
      // With RESTART_FILE set: <file>.ready says A runs alone; the test restarts the broker and
      // creates <file>; A carries on through the restart.
      String restart = System.getenv("RESTART_FILE");
      if (restart != null) {
        new java.io.File(restart + ".ready").createNewFile();
        long until = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < until && !new java.io.File(restart).exists()) Thread.sleep(100);
      }
      words += produce(bootstrap, in, second);
      waitOutput(bootstrap, out, outBefore + words, error);
      a.close(Duration.ofSeconds(30));
      if (error[0] != null) fail("streams failed: " + error[0]);

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
      admin.listStreamsGroupOffsets(Map.of(appId, new ListStreamsGroupOffsetsSpec())).partitionsToOffsetAndMetadata(appId).get()
          .forEach((tp, om) -> committed.put(tp.toString(), om == null ? null : om.offset()));

      result.put("statesA", new ArrayList<>(statesA));
      result.put("statesB", new ArrayList<>(statesB));
      result.put("restoredRecords", restored.get());
      result.put("internalTopics", configs);
      result.put("committed", committed);
      result.put("output", readOutput(bootstrap, out));
    }
    System.out.println(JSON.writeValueAsString(result));
  }

  static KafkaStreams start(String bootstrap, String appId, String in, String out, String stateDir, List<String> states, AtomicLong restored,
      Throwable[] error) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
        .flatMapValues(v -> Arrays.asList(v.toLowerCase().split(" ")))
        .groupBy((k, w) -> w, Grouped.with("words", Serdes.String(), Serdes.String()))
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
        .toStream()
        .to(out, Produced.with(Serdes.String(), Serdes.Long()));

    Properties sp = new Properties();
    sp.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    sp.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    sp.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
    sp.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    sp.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    sp.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    sp.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    sp.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    sp.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    KafkaStreams streams = new KafkaStreams(builder.build(), sp);
    streams.setGlobalStateRestoreListener(new StateRestoreListener() {
      public void onRestoreStart(TopicPartition tp, String store, long start, long end) {}

      public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long n) {
        restored.addAndGet(n);
      }

      public void onRestoreEnd(TopicPartition tp, String store, long total) {}
    });
    streams.setStateListener((now, before) -> states.add(now.toString()));
    streams.setUncaughtExceptionHandler(e -> {
      error[0] = e;
      e.printStackTrace();
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    return streams;
  }

  /** The active tasks ("0_1") this instance runs now. */
  static Set<String> tasks(KafkaStreams s) {
    Set<String> out = new TreeSet<>();
    for (ThreadMetadata t : s.metadataForLocalThreads()) for (TaskMetadata task : t.activeTasks()) out.add(task.taskId().toString());
    return out;
  }

  static int produce(String bootstrap, String topic, List<String> lines) {
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    int words = 0;
    try (KafkaProducer<String, String> p = new KafkaProducer<>(pp)) {
      for (int i = 0; i < lines.size(); i++) {
        p.send(new ProducerRecord<>(topic, "line" + i, lines.get(i)));
        words += lines.get(i).split(" ").length;
      }
    }
    return words;
  }

  static void waitOutput(String bootstrap, String out, int expected, Throwable[] error) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 90_000;
    int n = 0;
    while (System.currentTimeMillis() < deadline && error[0] == null) {
      n = readOutput(bootstrap, out).size();
      if (n >= expected) return;
      Thread.sleep(300);
    }
    if (error[0] != null) fail("streams failed: " + error[0]);
    fail("output has " + n + " records, expected " + expected);
  }

  /** [word, count] of every record in the output topic at read_committed, partition by partition. */
  static List<List<Object>> readOutput(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
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
