// The Java consumer (kafka-clients 4.4.0) against a broker, the scenarios named on the command line, for
// group.protocol=classic and group.protocol=consumer (KIP-848):
//
//   java -cp 'test/jvm/.cache/lib/*' Consumer.java <bootstrap> <scenario>,<protocol>,<topic>,<group> ...
//
//   rebalance
//       two members with rebalance listeners (classic: cooperative-sticky) share a 4-partition
//       topic: A alone, B joins, B leaves; commitSync in onPartitionsRevoked
//   static
//       a static member (group.instance.id) closes and comes back: same assignment
//   pattern
//       subscribe(Pattern) to <topic>-.*: the matching topic, then one created later (the
//       client matches the names)
//   re2
//       the same with subscribe(SubscriptionPattern), group.protocol=consumer only: the broker
//       resolves the regex (ConsumerGroupHeartbeat v1's subscribed_topic_regex)
//   offsets
//       offsetsForTimes, beginning/endOffsets, seek, commitSync/commitAsync with metadata,
//       committed(), seekToBeginning/End, and a second consumer resuming from the commit
//
// Every result is one JSON line on stdout; a broken expectation exits 1 with a message.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class Consumer {
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

  static void await(String what, long ms, BooleanSupplier cond) throws Exception {
    long deadline = System.currentTimeMillis() + ms;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) fail("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  static Properties consumerProps(String protocol, String group, Object... kv) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    if (protocol.equals("classic")) {
      p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
      p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
      p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
    }
    for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
    return p;
  }

  static void createTopic(Admin admin, String topic, int partitions) throws Exception {
    try {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw e;
    }
  }

  static void produce(String topic, int partitions, int perPartition, Long baseTimestamp, String tag) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> prod = new KafkaProducer<>(p)) {
      for (int part = 0; part < partitions; part++) {
        for (int i = 0; i < perPartition; i++) {
          Long ts = baseTimestamp == null ? null : baseTimestamp + i * 1000L;
          prod.send(new ProducerRecord<>(topic, part, ts, "k" + i, tag + part + "-" + i));
        }
      }
      prod.flush();
    }
  }

  static List<Integer> parts(Collection<TopicPartition> tps) {
    List<Integer> out = new ArrayList<>();
    for (TopicPartition tp : tps) out.add(tp.partition());
    Collections.sort(out);
    return out;
  }

  /** A consumer polling on its own thread, recording its listener calls and what it read. */
  static class Member implements Runnable {
    final String name;
    final KafkaConsumer<String, String> consumer;
    final String topic;
    final List<Map<String, Object>> events;
    final AtomicReference<List<Integer>> assignment = new AtomicReference<>(List.of());
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    volatile boolean stop = false;
    volatile Throwable error = null;
    volatile int generation = -1;
    volatile String memberId = "";
    final Thread thread = new Thread(this);

    Member(String name, Properties props, String topic, List<Map<String, Object>> events) {
      this.name = name;
      this.consumer = new KafkaConsumer<>(props);
      this.topic = topic;
      this.events = events;
    }

    void event(String kind, Collection<TopicPartition> tps) {
      events.add(obj("member", name, "event", kind, "partitions", parts(tps)));
    }

    public void run() {
      try {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
          public void onPartitionsRevoked(Collection<TopicPartition> tps) {
            event("revoked", tps);
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (TopicPartition tp : tps) {
              Long pos = positions.remove(tp);
              if (pos != null) commit.put(tp, new OffsetAndMetadata(pos));
            }
            if (!commit.isEmpty()) consumer.commitSync(commit);
          }

          public void onPartitionsAssigned(Collection<TopicPartition> tps) {
            event("assigned", tps);
          }

          public void onPartitionsLost(Collection<TopicPartition> tps) {
            event("lost", tps);
          }
        });
        while (!stop) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
            seen.add(r.value());
            positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
          }
          assignment.set(parts(consumer.assignment()));
          generation = consumer.groupMetadata().generationId();
          memberId = consumer.groupMetadata().memberId();
        }
        consumer.commitSync();
      } catch (Throwable t) {
        error = t;
        t.printStackTrace();
      } finally {
        consumer.close();
      }
    }

    void start() {
      thread.start();
    }

    void stopAndJoin() throws Exception {
      stop = true;
      thread.join(30_000);
      if (error != null) fail(name + " failed: " + error);
    }
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      // Each further argument is one scenario: "<name>,<protocol>,<topic>,<group>".
      for (int i = 1; i < args.length; i++) {
        String[] a = args[i].split(",");
        switch (a[0]) {
          case "rebalance" -> rebalance(admin, a[1], a[2], a[3]);
          case "static" -> staticMembership(admin, a[1], a[2], a[3]);
          case "offsets" -> offsets(admin, a[1], a[2], a[3]);
          case "pattern" -> pattern(admin, a[1], a[2], a[3], false);
          case "re2" -> pattern(admin, a[1], a[2], a[3], true);
          default -> fail("unknown scenario " + a[0]);
        }
      }
    }
  }

  static Map<String, Long> committed(Admin admin, String group) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((tp, om) -> out.put(tp.toString(), om.offset()));
    return out;
  }

  static void rebalance(Admin admin, String protocol, String topic, String group) throws Exception {
    createTopic(admin, topic, 4);
    produce(topic, 4, 5, null, "a");
    List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
    Member a = new Member("A", consumerProps(protocol, group, ConsumerConfig.CLIENT_ID_CONFIG, "member-a"), topic, events);
    a.start();
    await("A owns 4 partitions", 30_000, () -> a.assignment.get().size() == 4 && a.seen.size() == 20);
    Member b = new Member("B", consumerProps(protocol, group, ConsumerConfig.CLIENT_ID_CONFIG, "member-b"), topic, events);
    b.start();
    await("A and B own 2 partitions each", 30_000, () -> a.assignment.get().size() == 2 && b.assignment.get().size() == 2);
    List<Integer> aShared = a.assignment.get();
    List<Integer> bShared = b.assignment.get();
    ConsumerGroupDescription shared = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
    // Records produced now go to whoever owns their partition.
    produce(topic, 4, 2, null, "b");
    await("A and B read the new records", 30_000, () -> a.seen.size() + b.seen.size() >= 28);
    b.stopAndJoin();
    await("A owns 4 partitions again", 30_000, () -> a.assignment.get().size() == 4);
    a.stopAndJoin();
    List<Object> members = new ArrayList<>();
    for (MemberDescription m : shared.members()) members.add(obj("clientId", m.clientId(), "partitions", parts(m.assignment().topicPartitions())));
    Set<String> all = new TreeSet<>(a.seen);
    all.addAll(b.seen);
    emit(obj("scenario", "rebalance", "protocol", protocol, "events", new ArrayList<>(events), "aShared", aShared, "bShared", bShared,
        "describedType", String.valueOf(shared.type()), "describedState", String.valueOf(shared.groupState()), "describedMembers", members,
        "assignor", shared.partitionAssignor(), "seenByB", new TreeSet<>(b.seen).size(), "distinctSeen", all.size(), "committed",
        committed(admin, group)));
  }

  static void staticMembership(Admin admin, String protocol, String topic, String group) throws Exception {
    createTopic(admin, topic, 4);
    List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
    List<Object> runs = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      Member m = new Member("S" + round, consumerProps(protocol, group, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "static-1"), topic, events);
      m.start();
      await("static member owns 4 partitions", 30_000, () -> m.assignment.get().size() == 4);
      ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
      List<Object> members = new ArrayList<>();
      for (MemberDescription md : d.members()) {
        members.add(obj("instanceId", md.groupInstanceId().orElse(null), "memberId", md.consumerId(), "partitions",
            parts(md.assignment().topicPartitions())));
      }
      runs.add(obj("generation", m.generation, "memberId", m.memberId, "assignment", m.assignment.get(), "described", members,
          "state", String.valueOf(d.groupState())));
      m.stopAndJoin();
    }
    emit(obj("scenario", "static", "protocol", protocol, "runs", runs, "events", new ArrayList<>(events)));
  }

  /**
   * committed(tp) once it shows `offset` (5 s at most): Kafka 4.4 at times answers the fetch
   * right after a commit without it.
   */
  static OffsetAndMetadata committedAt(KafkaConsumer<String, String> c, TopicPartition tp, long offset) throws Exception {
    long deadline = System.currentTimeMillis() + 5_000;
    OffsetAndMetadata om = c.committed(Set.of(tp)).get(tp);
    while ((om == null || om.offset() != offset) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      om = c.committed(Set.of(tp)).get(tp);
    }
    if (om == null) fail("no committed offset for " + tp);
    return om;
  }

  static void pattern(Admin admin, String protocol, String prefix, String group, boolean re2) throws Exception {
    createTopic(admin, prefix + "-a", 2);
    createTopic(admin, prefix + "x", 1);
    Properties props = consumerProps(protocol, group, ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500);
    Map<String, Object> out = obj("scenario", re2 ? "re2" : "pattern", "protocol", protocol);
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props)) {
      if (re2) c.subscribe(new SubscriptionPattern(prefix + "-.*"));
      else c.subscribe(Pattern.compile(Pattern.quote(prefix) + "-.*"));
      await("the matching topic is assigned", 30_000, () -> {
        c.poll(Duration.ofMillis(50));
        return c.assignment().size() == 2;
      });
      out.put("first", c.assignment().stream().map(TopicPartition::toString).sorted().toList());
      createTopic(admin, prefix + "-b", 1);
      await("the topic created later is assigned", 30_000, () -> {
        c.poll(Duration.ofMillis(50));
        return c.assignment().size() == 3;
      });
      out.put("later", c.assignment().stream().map(TopicPartition::toString).sorted().toList());
    }
    emit(out);
  }

  static void offsets(Admin admin, String protocol, String topic, String group) throws Exception {
    createTopic(admin, topic, 1);
    TopicPartition tp = new TopicPartition(topic, 0);
    long base = 1_700_000_000_000L;
    produce(topic, 1, 10, base, "a");
    Map<String, Object> out = obj("scenario", "offsets", "protocol", protocol);
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(protocol, group))) {
      c.subscribe(List.of(topic));
      await("assignment", 30_000, () -> {
        c.poll(Duration.ofMillis(50));
        return c.assignment().contains(tp);
      });
      Map<TopicPartition, OffsetAndTimestamp> byTime = c.offsetsForTimes(Map.of(tp, base + 3500));
      out.put("offsetForTime", byTime.get(tp).offset());
      out.put("timestampForTime", byTime.get(tp).timestamp());
      out.put("offsetForExactTime", c.offsetsForTimes(Map.of(tp, base + 2000)).get(tp).offset());
      out.put("offsetForFutureTime", c.offsetsForTimes(Map.of(tp, base + 60_000)).get(tp));
      out.put("beginning", c.beginningOffsets(List.of(tp)).get(tp));
      out.put("end", c.endOffsets(List.of(tp)).get(tp));
      c.seek(tp, 4);
      List<Long> afterSeek = new ArrayList<>();
      await("records after seek", 10_000, () -> {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) afterSeek.add(r.offset());
        return afterSeek.size() >= 6;
      });
      out.put("afterSeek", afterSeek);
      c.commitSync(Map.of(tp, new OffsetAndMetadata(6, "sync")));
      OffsetAndMetadata sync = committedAt(c, tp, 6);
      out.put("committedSync", List.of(sync.offset(), sync.metadata()));
      CompletableFuture<String> done = new CompletableFuture<>();
      c.commitAsync(Map.of(tp, new OffsetAndMetadata(8, "async")), (offsets, e) -> done.complete(e == null ? "ok" : e.toString()));
      await("commitAsync callback", 10_000, () -> {
        c.poll(Duration.ofMillis(20));
        return done.isDone();
      });
      out.put("asyncCallback", done.get());
      OffsetAndMetadata async = committedAt(c, tp, 8);
      out.put("committedAsync", List.of(async.offset(), async.metadata()));
      c.commitSync();
      out.put("committedPosition", committedAt(c, tp, 10).offset());
      c.seekToBeginning(List.of(tp));
      out.put("positionAfterSeekToBeginning", c.position(tp));
      c.seekToEnd(List.of(tp));
      out.put("positionAfterSeekToEnd", c.position(tp));
      c.seek(tp, 2);
      out.put("positionAfterSeek", c.position(tp));
    }
    produce(topic, 1, 1, base + 100_000, "b");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(protocol, group))) {
      c.subscribe(List.of(topic));
      List<Long> resumed = new ArrayList<>();
      await("resumed records", 30_000, () -> {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) resumed.add(r.offset());
        return !resumed.isEmpty();
      });
      out.put("resumedAt", resumed);
    }
    out.put("committedAtEnd", committed(admin, group));
    emit(out);
  }
}
