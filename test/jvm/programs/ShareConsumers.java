// Kafka's own share consumer (KafkaShareConsumer, KIP-932) through a share group, in one JVM:
// each scenario prints one JSON line. Args: bootstrap scenario... with scenarios
//   implicit    topic si (20 records): implicit acknowledgement, then a second consumer sees nothing
//   explicit    topic se (9 records): accept offset%3==0, release then accept %3==1, reject %3==2
//   three       topic s3 (300 records): 3 consumers on one partition, no record twice
//   expiry      topic sx (1 record), lock 2 s: an unacknowledged record goes to another consumer
//   renew       topic sr (1 record), lock 2 s: renewing keeps it from the other consumer
//   throughput  topic sp (N records, produced here): 3 consumers, records/s until all acknowledged
// Group configs (share.auto.offset.reset=earliest, lock durations) are set with the Admin client.
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.*;

public class ShareConsumers {
  static String bootstrap;

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    for (int i = 1; i < args.length; i++) {
      String s = args[i];
      try {
        switch (s) {
          case "implicit" -> implicit();
          case "explicit" -> explicit();
          case "three" -> three();
          case "expiry" -> expiry();
          case "renew" -> renew();
          case "throughput" -> throughput(Integer.parseInt(args[++i]));
          default -> throw new IllegalArgumentException(s);
        }
      } catch (Exception e) {
        System.out.println("{\"scenario\":\"" + s + "\",\"error\":\"" + String.valueOf(e).replace("\"", "'") + "\"}");
      }
      System.out.flush();
    }
  }

  static void groupConfig(String group, Map<String, String> configs) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Admin a = Admin.create(p)) {
      List<AlterConfigOp> ops = new ArrayList<>();
      for (var e : configs.entrySet()) ops.add(new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET));
      a.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops)).all().get();
    }
  }

  static KafkaShareConsumer<String, String> consumer(String group, String mode, int maxPoll) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", group);
    p.put("share.acknowledgement.mode", mode);
    p.put("max.poll.records", String.valueOf(maxPoll));
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    return new KafkaShareConsumer<>(p);
  }

  static void implicit() throws Exception {
    groupConfig("gi", Map.of("share.auto.offset.reset", "earliest"));
    Set<String> seen = new TreeSet<>();
    int deliveries = 0;
    try (var c = consumer("gi", "implicit", 500)) {
      c.subscribe(List.of("si"));
      long deadline = System.currentTimeMillis() + 20_000;
      while (seen.size() < 20 && System.currentTimeMillis() < deadline) {
        for (var r : c.poll(Duration.ofMillis(500))) {
          seen.add(r.value());
          deliveries++;
        }
      }
      c.commitSync();
    }
    int second = 0;
    try (var c = consumer("gi", "implicit", 500)) {
      c.subscribe(List.of("si"));
      long end = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < end) second += c.poll(Duration.ofMillis(500)).count();
    }
    System.out.println("{\"scenario\":\"implicit\",\"unique\":" + seen.size() + ",\"deliveries\":" + deliveries + ",\"second\":" + second + "}");
  }

  static void explicit() throws Exception {
    groupConfig("ge", Map.of("share.auto.offset.reset", "earliest"));
    List<String> log = new ArrayList<>();
    Set<Long> done = new TreeSet<>();
    try (var c = consumer("ge", "explicit", 500)) {
      c.subscribe(List.of("se"));
      long deadline = System.currentTimeMillis() + 20_000;
      while (done.size() < 9 && System.currentTimeMillis() < deadline) {
        for (var r : c.poll(Duration.ofMillis(500))) {
          int count = r.deliveryCount().map(Short::intValue).orElse(-1);
          AcknowledgeType t;
          if (r.offset() % 3 == 0) t = AcknowledgeType.ACCEPT;
          else if (r.offset() % 3 == 1) t = count == 1 ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT;
          else t = AcknowledgeType.REJECT;
          c.acknowledge(r, t);
          if (t != AcknowledgeType.RELEASE) done.add(r.offset());
          log.add("\"" + r.offset() + ":" + count + ":" + t + "\"");
        }
        c.commitSync();
      }
    }
    int after = 0;
    try (var c = consumer("ge", "implicit", 500)) {
      c.subscribe(List.of("se"));
      long end = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < end) after += c.poll(Duration.ofMillis(500)).count();
    }
    System.out.println("{\"scenario\":\"explicit\",\"log\":" + log + ",\"after\":" + after + "}");
  }

  /** 3 consumers of one group until `total` records were received and acknowledged; per-consumer counts, duplicates, seconds. */
  static long[] shared(String group, String topic, int total, int maxPoll) throws Exception {
    ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();
    AtomicInteger received = new AtomicInteger();
    AtomicInteger dupes = new AtomicInteger();
    long[] per = new long[3];
    ExecutorService pool = Executors.newFixedThreadPool(3);
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      final int idx = i;
      fs.add(pool.submit(() -> {
        try (var c = consumer(group, "implicit", maxPoll)) {
          c.subscribe(List.of(topic));
          long deadline = System.currentTimeMillis() + 60_000;
          while (seen.size() < total && System.currentTimeMillis() < deadline) {
            for (var r : c.poll(Duration.ofMillis(200))) {
              if (seen.put(r.value(), idx) != null) dupes.incrementAndGet();
              per[idx]++;
              received.incrementAndGet();
            }
          }
          c.commitSync();
        }
        return null;
      }));
    }
    for (var f : fs) f.get();
    long nanos = System.nanoTime() - t0;
    pool.shutdown();
    return new long[] {per[0], per[1], per[2], dupes.get(), seen.size(), nanos};
  }

  static void three() throws Exception {
    groupConfig("g3", Map.of("share.auto.offset.reset", "earliest"));
    long[] r = shared("g3", "s3", 300, 10);
    System.out.println("{\"scenario\":\"three\",\"per\":[" + r[0] + "," + r[1] + "," + r[2] + "],\"dupes\":" + r[3] + ",\"unique\":" + r[4] + "}");
  }

  static void expiry() throws Exception {
    groupConfig("gx", Map.of("share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "2000"));
    try (var a = consumer("gx", "explicit", 500); var b = consumer("gx", "explicit", 500)) {
      a.subscribe(List.of("sx"));
      b.subscribe(List.of("sx"));
      int got = 0;
      ConsumerRecord<String, String> held = null;
      long deadline = System.currentTimeMillis() + 15_000;
      while (held == null && System.currentTimeMillis() < deadline) for (var r : a.poll(Duration.ofMillis(300))) held = r;
      // b polls while a holds the lock, then after it expired.
      int bCount = -1;
      long end = System.currentTimeMillis() + 6_000;
      ConsumerRecord<String, String> again = null;
      while (again == null && System.currentTimeMillis() < end) for (var r : b.poll(Duration.ofMillis(300))) again = r;
      if (again != null) b.acknowledge(again, AcknowledgeType.ACCEPT);
      b.commitSync();
      a.acknowledge(held, AcknowledgeType.ACCEPT);
      Map<TopicIdPartition, Optional<KafkaException>> res = a.commitSync();
      String late = res.values().stream().map(o -> o.map(e -> e.getClass().getSimpleName()).orElse("none")).findFirst().orElse("missing");
      System.out.println("{\"scenario\":\"expiry\",\"first\":" + (held != null ? held.deliveryCount().get() : -1)
          + ",\"redelivered\":" + (again != null ? again.deliveryCount().get() : -1) + ",\"lateAck\":\"" + late + "\"}");
    }
  }

  static void renew() throws Exception {
    groupConfig("gr", Map.of("share.auto.offset.reset", "earliest", "share.record.lock.duration.ms", "2000"));
    try (var a = consumer("gr", "explicit", 500); var b = consumer("gr", "explicit", 500)) {
      a.subscribe(List.of("sr"));
      b.subscribe(List.of("sr"));
      ConsumerRecord<String, String> held = null;
      long deadline = System.currentTimeMillis() + 15_000;
      while (held == null && System.currentTimeMillis() < deadline) for (var r : a.poll(Duration.ofMillis(300))) held = r;
      int bSaw = 0;
      String renewResult = "none";
      int renews = 0;
      long end = System.currentTimeMillis() + 5_000;
      long nextRenew = System.currentTimeMillis() + 800;
      while (System.currentTimeMillis() < end) {
        bSaw += b.poll(Duration.ofMillis(200)).count();
        if (System.currentTimeMillis() >= nextRenew) {
          a.acknowledge(held, AcknowledgeType.RENEW);
          var res = a.commitSync();
          for (var o : res.values()) if (o.isPresent()) renewResult = o.get().getClass().getSimpleName();
          renews++;
          nextRenew = System.currentTimeMillis() + 800;
          // A renewed record comes back from the next poll, acquired again (KIP-1222).
          for (var r : a.poll(Duration.ofMillis(100))) held = r;
        }
      }
      a.acknowledge(held, AcknowledgeType.ACCEPT);
      var res = a.commitSync();
      String accept = res.values().stream().map(o -> o.map(e -> e.getClass().getSimpleName()).orElse("none")).findFirst().orElse("missing");
      System.out.println("{\"scenario\":\"renew\",\"held\":" + (held != null) + ",\"renews\":" + renews + ",\"otherSaw\":" + bSaw + ",\"renewError\":\"" + renewResult
          + "\",\"accept\":\"" + accept + "\"}");
    }
  }

  static void throughput(int n) throws Exception {
    groupConfig("gp", Map.of("share.auto.offset.reset", "earliest"));
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    p.put("linger.ms", "5");
    try (var prod = new KafkaProducer<String, String>(p)) {
      for (int i = 0; i < n; i++) prod.send(new ProducerRecord<>("sp", "r" + i));
      prod.flush();
    }
    long[] r = shared("gp", "sp", n, 500);
    double secs = r[5] / 1e9;
    System.out.println("{\"scenario\":\"throughput\",\"records\":" + r[4] + ",\"dupes\":" + r[3] + ",\"per\":[" + r[0] + "," + r[1] + "," + r[2]
        + "],\"seconds\":" + String.format("%.2f", secs) + ",\"perSecond\":" + Math.round(r[4] / secs) + "}");
  }
}
