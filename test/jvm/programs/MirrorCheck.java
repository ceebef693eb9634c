// Reading what `kafkalite mirror` moved, with the Java consumer (kafka-clients 4.4.0,
// isolation.level=read_committed), against either side of a mirror:
//
//   java -cp 'test/jvm/.cache/lib/*' MirrorCheck.java <bootstrap> dump <topic,...>
//       every partition from the beginning to the end offsets (the last stable offsets)
//   java -cp 'test/jvm/.cache/lib/*' MirrorCheck.java <bootstrap> consume <group> <topic,...> <limit>
//       a group member: subscribe, take `limit` records (-1: until the end offsets of every
//       partition), commitSync exactly the taken ones, leave
//
// One JSON line per record on stdout: {"t","p","o","k","v","ts","h":{...}}, in poll order.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

public class MirrorCheck {
  static final ObjectMapper JSON = new ObjectMapper();

  static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("isolation.level", "read_committed");
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    if (group != null) p.put("group.id", group);
    return new KafkaConsumer<>(p);
  }

  static void print(ConsumerRecord<String, String> r) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t", r.topic());
    m.put("p", r.partition());
    m.put("o", r.offset());
    m.put("k", r.key());
    m.put("v", r.value());
    m.put("ts", r.timestamp());
    Map<String, String> h = new LinkedHashMap<>();
    for (Header x : r.headers()) h.put(x.key(), x.value() == null ? null : new String(x.value(), StandardCharsets.UTF_8));
    m.put("h", h);
    System.out.println(JSON.writeValueAsString(m));
  }

  static boolean atEnd(KafkaConsumer<String, String> c, Collection<TopicPartition> parts) {
    Map<TopicPartition, Long> ends = c.endOffsets(parts);
    for (TopicPartition tp : parts) if (c.position(tp) < ends.get(tp)) return false;
    return true;
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String mode = args[1];
    long deadline = System.currentTimeMillis() + 60_000;
    if (mode.equals("dump")) {
      try (KafkaConsumer<String, String> c = consumer(bootstrap, null)) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : args[2].split(",")) for (PartitionInfo pi : c.partitionsFor(t)) parts.add(new TopicPartition(t, pi.partition()));
        c.assign(parts);
        c.seekToBeginning(parts);
        while (!atEnd(c, parts)) {
          if (System.currentTimeMillis() > deadline) throw new RuntimeException("dump did not reach the end offsets");
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) print(r);
        }
      }
      return;
    }
    String group = args[2];
    List<String> topics = Arrays.asList(args[3].split(","));
    int limit = Integer.parseInt(args[4]);
    try (KafkaConsumer<String, String> c = consumer(bootstrap, group)) {
      c.subscribe(topics);
      int taken = 0;
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      while (limit < 0 || taken < limit) {
        if (System.currentTimeMillis() > deadline) throw new RuntimeException("consume did not finish");
        ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, String> r : records) {
          if (limit >= 0 && taken >= limit) break;
          print(r);
          taken++;
          commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        if (limit < 0 && !c.assignment().isEmpty() && records.isEmpty() && atEnd(c, c.assignment())) break;
      }
      c.commitSync(commit);
    }
  }
}
