// The Java consumer (kafka-clients 4.4.0) across a restart of a disk broker whose partition
// leader epochs moved (test/integration/leader-epoch-checkpoint.test.ts):
//
//   java -cp 'test/jvm/.cache/lib/*' EpochRestart.java <bootstrap> <consume|resume> <topic> <group> <count>
//
//   consume: a group member reading <count> records of the topic from the start (earliest), then
//            committing them (the commit carries the records' leader epoch).
//   resume:  a member of the same group with auto.offset.reset=none reading <count> more records
//            from the committed position: the consumer validates that position against the broker
//            (OffsetForLeaderEpoch, KIP-320) and fetches with last_fetched_epoch; a reset or a
//            truncation would surface as an exception, printed as {"error": ...}.
//
// One JSON line on stdout.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

public class EpochRestart {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], mode = args[1], topic = args[2], group = args[3];
    int count = Integer.parseInt(args[4]);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", group);
    props.put("client.id", "epochs-java");
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", mode.equals("consume") ? "earliest" : "none");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> values = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props)) {
      c.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 30_000;
      try {
        while (values.size() < count && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
            values.add(r.value());
            offsets.add(r.offset());
          }
        }
        c.commitSync();
        OffsetAndMetadata committed = c.committed(Set.of(new TopicPartition(topic, 0))).get(new TopicPartition(topic, 0));
        out.put("committed", committed == null ? null : committed.offset());
        out.put("committedEpoch", committed == null ? null : committed.leaderEpoch().orElse(-1));
      } catch (Exception e) {
        out.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    out.put("values", values);
    out.put("offsets", offsets);
    System.out.println(new ObjectMapper().writeValueAsString(out));
  }
}
