// Java transactions (kafka-clients 4.4.0) against a broker, the scenarios named on the command line:
//
//   java -cp 'test/jvm/.cache/lib/*' Transactions.java <bootstrap> <scenario>,<arg>,... [<scenario>,...]
//
//   ctp,<in>,<out>,<group>,<count>[,<group.protocol>]
//       consume-transform-produce: read_committed consumer, transactional producer,
//       sendOffsetsToTransaction; one batch aborted and processed again
//   abort,<topic>
//       commit 3, abort 2, commit 1; an open transaction holds the last stable offset;
//       read_committed vs read_uncommitted
//   zombie,<in>,<group>[,<group.protocol>]
//       sendOffsetsToTransaction with the consumer's groupMetadata() but a generation one ahead,
//       then an unknown member id (a zombie's commits): both refused and the transactions
//       aborted; then the real groupMetadata() commits
//   fence,<topic>
//       a second producer with the same transactional.id fences the first, whose open
//       transaction is aborted
//
// Every result is one JSON line on stdout; a broken expectation exits 1 with a message.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class Transactions {
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

  static void createTopic(Admin admin, String topic, int partitions) throws Exception {
    try {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw e;
    }
  }

  static KafkaProducer<String, String> producer(String transactionalId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    if (transactionalId != null) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
    }
    return new KafkaProducer<>(p);
  }

  static KafkaConsumer<String, String> consumer(String group, String isolation) {
    return consumer(group, isolation, 500);
  }

  static KafkaConsumer<String, String> consumer(String group, String isolation, int maxPollRecords) {
    return consumer(group, isolation, maxPollRecords, "classic");
  }

  static KafkaConsumer<String, String> consumer(String group, String isolation, int maxPollRecords, String protocol) {
    Properties p = new Properties();
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    if (group != null) p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    return new KafkaConsumer<>(p);
  }

  /** Values of one partition from the start at an isolation level, until the end offset at that level. */
  static List<String> readAll(String topic, String isolation) {
    List<String> out = new ArrayList<>();
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> c = consumer(null, isolation)) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.currentTimeMillis() + 20_000;
      while (c.position(tp) < end && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) out.add(r.value());
      }
      if (c.position(tp) < end) fail("could not read " + topic + " to " + end + " at " + isolation);
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      // Each further argument is one scenario, its words separated by commas: "abort,ta".
      for (int i = 1; i < args.length; i++) {
        String[] a = args[i].split(",");
        switch (a[0]) {
          case "ctp" -> ctp(admin, a[1], a[2], a[3], Integer.parseInt(a[4]), a.length > 5 ? a[5] : "classic");
          case "abort" -> abort(admin, a[1]);
          case "zombie" -> zombie(admin, a[1], a[2], a.length > 3 ? a[3] : "classic");
          case "fence" -> fence(admin, a[1]);
          default -> fail("unknown scenario " + a[0]);
        }
      }
    }
  }

  static void ctp(Admin admin, String in, String out, String group, int count, String protocol) throws Exception {
    createTopic(admin, in, 1);
    createTopic(admin, out, 1);
    try (KafkaProducer<String, String> p = producer(null)) {
      for (int i = 0; i < count; i++) p.send(new ProducerRecord<>(in, "k" + i, "word" + i));
    }
    TopicPartition tp = new TopicPartition(in, 0);
    int transactions = 0;
    int aborted = 0;
    boolean abortedOnce = false;
    try (KafkaProducer<String, String> p = producer("ctp-" + group); KafkaConsumer<String, String> c = consumer(group, "read_committed", 25, protocol)) {
      p.initTransactions();
      c.subscribe(List.of(in));
      long deadline = System.currentTimeMillis() + 60_000;
      long done = 0;
      while (done < count && System.currentTimeMillis() < deadline) {
        ConsumerRecords<String, String> recs = c.poll(Duration.ofMillis(100));
        if (recs.isEmpty()) continue;
        p.beginTransaction();
        long next = -1;
        for (ConsumerRecord<String, String> r : recs) {
          p.send(new ProducerRecord<>(out, r.key(), r.value().toUpperCase()));
          next = r.offset() + 1;
        }
        p.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(next)), c.groupMetadata());
        if (!abortedOnce && next > count / 2) {
          // Give this batch up: its output stays invisible at read_committed, its offsets uncommitted.
          p.flush();
          p.abortTransaction();
          abortedOnce = true;
          aborted += recs.count();
          OffsetAndMetadata committed = c.committed(Set.of(tp)).get(tp);
          c.seek(tp, committed == null ? 0 : committed.offset());
          continue;
        }
        p.commitTransaction();
        transactions++;
        done = next;
      }
      if (done < count) fail("consume-transform-produce stopped at " + done);
    }
    OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
    List<String> committedOut = readAll(out, "read_committed");
    List<String> uncommittedOut = readAll(out, "read_uncommitted");
    emit(obj("scenario", "ctp", "protocol", protocol, "transactions", transactions, "abortedRecords", aborted, "committedOffset", committed.offset(),
        "readCommitted", committedOut, "readUncommittedCount", uncommittedOut.size()));
  }

  static void zombie(Admin admin, String in, String group, String protocol) throws Exception {
    createTopic(admin, in, 1);
    try (KafkaProducer<String, String> p = producer(null)) {
      for (int i = 0; i < 10; i++) p.send(new ProducerRecord<>(in, "k" + i, "v" + i));
    }
    TopicPartition tp = new TopicPartition(in, 0);
    Map<String, Object> out = obj("scenario", "zombie", "protocol", protocol);
    try (KafkaProducer<String, String> p = producer("zombie-" + group); KafkaConsumer<String, String> c = consumer(group, "read_committed", 500, protocol)) {
      p.initTransactions();
      c.subscribe(List.of(in));
      long deadline = System.currentTimeMillis() + 60_000;
      int seen = 0;
      while (seen < 10 && System.currentTimeMillis() < deadline) seen += c.poll(Duration.ofMillis(100)).count();
      if (seen < 10) fail("zombie: read " + seen + " records");
      ConsumerGroupMetadata meta = c.groupMetadata();
      Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(tp, new OffsetAndMetadata(10));
      List<ConsumerGroupMetadata> zombies = List.of(
          new ConsumerGroupMetadata(group, meta.generationId() + 1, meta.memberId(), meta.groupInstanceId()),
          new ConsumerGroupMetadata(group, meta.generationId(), "zombie-member", meta.groupInstanceId()));
      List<String> refused = new ArrayList<>();
      for (ConsumerGroupMetadata zombie : zombies) {
        p.beginTransaction();
        try {
          p.sendOffsetsToTransaction(offsets, zombie);
          p.commitTransaction();
          refused.add("none");
        } catch (KafkaException e) {
          refused.add(e.getClass().getSimpleName());
          p.abortTransaction();
        }
      }
      out.put("refused", refused);
      out.put("nothingCommittedByZombies", admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp) == null);
      p.beginTransaction();
      p.sendOffsetsToTransaction(offsets, meta);
      p.commitTransaction();
    }
    out.put("committedOffset", admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp).offset());
    emit(out);
  }

  static void abort(Admin admin, String topic) throws Exception {
    createTopic(admin, topic, 1);
    TopicPartition tp = new TopicPartition(topic, 0);
    Map<String, Object> out = obj("scenario", "abort");
    try (KafkaProducer<String, String> p = producer("abort-" + topic)) {
      p.initTransactions();
      p.beginTransaction();
      for (int i = 0; i < 3; i++) p.send(new ProducerRecord<>(topic, "c1-" + i));
      p.commitTransaction();
      p.beginTransaction();
      for (int i = 0; i < 2; i++) p.send(new ProducerRecord<>(topic, "a-" + i));
      p.flush();
      // Open transaction: read_committed ends at its first record, read_uncommitted after it.
      try (KafkaConsumer<String, String> rc = consumer(null, "read_committed"); KafkaConsumer<String, String> ru = consumer(null, "read_uncommitted")) {
        out.put("openLso", rc.endOffsets(List.of(tp)).get(tp));
        out.put("openHw", ru.endOffsets(List.of(tp)).get(tp));
      }
      TransactionDescription open = admin.describeTransactions(List.of("abort-" + topic)).description("abort-" + topic).get();
      out.put("openState", open.state().toString());
      out.put("openPartitions", open.topicPartitions().stream().map(TopicPartition::toString).toList());
      p.abortTransaction();
      p.beginTransaction();
      p.send(new ProducerRecord<>(topic, "c2-0"));
      p.commitTransaction();
    }
    try (KafkaConsumer<String, String> rc = consumer(null, "read_committed"); KafkaConsumer<String, String> ru = consumer(null, "read_uncommitted")) {
      out.put("lso", rc.endOffsets(List.of(tp)).get(tp));
      out.put("hw", ru.endOffsets(List.of(tp)).get(tp));
    }
    out.put("readCommitted", readAll(topic, "read_committed"));
    out.put("readUncommitted", readAll(topic, "read_uncommitted"));
    TransactionDescription d = admin.describeTransactions(List.of("abort-" + topic)).description("abort-" + topic).get();
    out.put("finalState", d.state().toString());
    emit(out);
  }

  static void fence(Admin admin, String topic) throws Exception {
    createTopic(admin, topic, 1);
    String id = "fence-" + topic;
    Map<String, Object> out = obj("scenario", "fence");
    KafkaProducer<String, String> first = producer(id);
    first.initTransactions();
    first.beginTransaction();
    first.send(new ProducerRecord<>(topic, "first")).get();
    try (KafkaProducer<String, String> second = producer(id)) {
      // Fences the first producer and aborts its open transaction.
      second.initTransactions();
      try {
        first.send(new ProducerRecord<>(topic, "first-again")).get();
        first.commitTransaction();
        out.put("firstOutcome", "committed");
      } catch (Exception e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        out.put("firstOutcome", cause.getClass().getSimpleName());
      }
      first.close(Duration.ofSeconds(5));
      second.beginTransaction();
      second.send(new ProducerRecord<>(topic, "second"));
      second.commitTransaction();
    }
    out.put("readCommitted", readAll(topic, "read_committed"));
    out.put("readUncommitted", readAll(topic, "read_uncommitted"));
    TopicPartition tp = new TopicPartition(topic, 0);
    List<Object> producers = new ArrayList<>();
    for (ProducerState s : admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers()) {
      producers.add(obj("producerEpoch", s.producerEpoch(), "currentTransactionStartOffset", s.currentTransactionStartOffset().orElse(-1L)));
    }
    out.put("producers", producers);
    emit(out);
  }
}
