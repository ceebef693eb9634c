// KIP-848 online migration with the Java consumer (kafka-clients 4.4.0): two consumers of one group
// on a 4-partition topic roll from group.protocol=classic to group.protocol=consumer one at a time,
// then back, committing what they processed; the group keeps its offsets throughout.
//
//   java -cp 'test/jvm/.cache/lib/*' Migration.java <bootstrap> <topic> <group> <classic assignor>
//
// Steps: A and B classic; A restarts as consumer (the group is upgraded); B as consumer; A back to
// classic (a classic member inside a consumer group); B back to classic (the last consumer member
// leaves: the group is downgraded). Before each restart 40 records per partition are produced and
// the step waits until every record so far was processed and the group is Stable with both. Each step prints one JSON line:
// {"step", "type" (the group type Admin.describeConsumerGroups says), "members"}; the last line
// {"records", "processed", "duplicates", "allowedDuplicates"}. A record lost, or processed twice
// when no commit of it failed, exits 1 with a message.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class Migration {
  static final ObjectMapper JSON = new ObjectMapper();
  static String bootstrap, topic, group, classicAssignor;
  static final Map<String, Integer> processed = new ConcurrentHashMap<>();
  /** Records in a batch whose commit failed: another member may process them again. */
  static final Set<String> uncommitted = ConcurrentHashMap.newKeySet();
  static int produced = 0;

  static void fail(String msg) {
    System.err.println("FAILED: " + msg);
    System.exit(1);
  }

  static class Member implements Runnable {
    final String name, protocol;
    final KafkaConsumer<String, String> consumer;
    final Thread thread = new Thread(this);
    volatile boolean stop = false;
    volatile Throwable error = null;

    Member(String name, String protocol) {
      this.name = name;
      this.protocol = protocol;
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
      p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      p.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-" + protocol);
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
      if (protocol.equals("classic")) {
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, classicAssignor);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 300);
      }
      consumer = new KafkaConsumer<>(p);
    }

    public void run() {
      try {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
          public void onPartitionsRevoked(Collection<TopicPartition> tps) {}
          public void onPartitionsAssigned(Collection<TopicPartition> tps) {}
        });
        while (!stop) {
          ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
          if (records.isEmpty()) continue;
          List<String> batch = new ArrayList<>();
          for (ConsumerRecord<String, String> r : records) {
            String key = r.partition() + "-" + r.offset();
            processed.merge(key, 1, Integer::sum);
            batch.add(key);
          }
          try {
            consumer.commitSync();
          } catch (CommitFailedException | org.apache.kafka.common.errors.RebalanceInProgressException
              | org.apache.kafka.common.errors.FencedInstanceIdException
              | org.apache.kafka.common.errors.StaleMemberEpochException
              | org.apache.kafka.common.errors.UnknownMemberIdException e) {
            uncommitted.addAll(batch);
          }
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (Throwable t) {
        error = t;
      }
    }

    void stopAndJoin() throws Exception {
      stop = true;
      thread.join(30_000);
      if (thread.isAlive()) fail(name + " did not close");
      if (error != null) fail(name + " failed: " + error);
    }
  }

  static void produce(Admin admin, int perPartition) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> prod = new KafkaProducer<>(p)) {
      for (int part = 0; part < 4; part++) for (int i = 0; i < perPartition; i++) prod.send(new ProducerRecord<>(topic, part, "k", "v" + i));
      prod.flush();
    }
    produced += 4 * perPartition;
  }

  static void awaitAllProcessed(String step) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (processed.size() < produced) {
      if (System.currentTimeMillis() > deadline) fail(step + ": processed " + processed.size() + " of " + produced);
      Thread.sleep(50);
    }
  }

  static void report(Admin admin, String step, List<Member> members) throws Exception {
    // Both members in, and the group settled, before its type is read.
    long deadline = System.currentTimeMillis() + 60_000;
    ConsumerGroupDescription d;
    while (true) {
      d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
      if (d.members().size() == 2 && d.groupState() == org.apache.kafka.common.GroupState.STABLE) break;
      if (System.currentTimeMillis() > deadline) fail(step + ": the group did not settle: " + d);
      Thread.sleep(100);
    }
    List<String> names = new ArrayList<>();
    for (Member m : members) names.add(m.name + ":" + m.protocol);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("step", step);
    line.put("type", d.type().toString());
    line.put("members", names);
    System.out.println(JSON.writeValueAsString(line));
    System.out.flush();
  }

  static Member start(String name, String protocol) {
    Member m = new Member(name, protocol);
    m.thread.start();
    return m;
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    topic = args[1];
    group = args[2];
    classicAssignor = args[3];
    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(ap)) {
      try {
        admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) throw e;
      }
      Member a = start("A", "classic");
      Member b = start("B", "classic");
      String[][] steps = {{"A", "consumer"}, {"B", "consumer"}, {"A", "classic"}, {"B", "classic"}};
      produce(admin, 40);
      awaitAllProcessed("start");
      report(admin, "start", List.of(a, b));
      for (String[] s : steps) {
        String step = s[0] + "->" + s[1];
        if (s[0].equals("A")) {
          a.stopAndJoin();
          a = start("A", s[1]);
        } else {
          b.stopAndJoin();
          b = start("B", s[1]);
        }
        produce(admin, 40);
        awaitAllProcessed(step);
        report(admin, step, List.of(a, b));
      }
      a.stopAndJoin();
      b.stopAndJoin();
      int duplicates = 0;
      for (Map.Entry<String, Integer> e : processed.entrySet()) {
        if (e.getValue() <= 1) continue;
        duplicates += e.getValue() - 1;
        if (!uncommitted.contains(e.getKey())) fail("record " + e.getKey() + " processed " + e.getValue() + " times though its commit succeeded");
      }
      Map<String, Object> end = new LinkedHashMap<>();
      end.put("records", produced);
      end.put("processed", processed.size());
      end.put("duplicates", duplicates);
      end.put("allowedDuplicates", uncommitted.size());
      System.out.println(JSON.writeValueAsString(end));
    }
  }
}
