// KIP-932 share consumers (KafkaShareConsumer of kafka-clients 4.4.0) joining a share group:
// `members` consumers subscribe to `topic` in `group` and poll for `seconds` (the broker side
// reads the group's members and assignments meanwhile), then close one by one (a leave heartbeat
// with epoch -1). Prints JSON lines: {"member":0,"step":"records","count":3},
// {"member":0,"step":"error","error":"..."} (a poll failed), {"member":0,"step":"closed"}.
//
//   java ShareMembers.java <bootstrap> <group> <topic> <members> <seconds>
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

public class ShareMembers {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], group = args[1], topic = args[2];
    int members = Integer.parseInt(args[3]);
    long deadline = System.currentTimeMillis() + Long.parseLong(args[4]) * 1000;
    List<KafkaShareConsumer<String, String>> consumers = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      p.put("group.id", group);
      p.put("client.id", "share-" + i);
      p.put("key.deserializer", StringDeserializer.class.getName());
      p.put("value.deserializer", StringDeserializer.class.getName());
      KafkaShareConsumer<String, String> c = new KafkaShareConsumer<>(p);
      c.subscribe(List.of(topic));
      consumers.add(c);
    }
    // Poll until the deadline (the share group's assignments are read on the broker side meanwhile).
    boolean[] failed = new boolean[members];
    while (System.currentTimeMillis() < deadline) {
      for (int i = 0; i < members; i++) {
        if (failed[i]) continue;
        try {
          int n = consumers.get(i).poll(Duration.ofMillis(200)).count();
          if (n > 0) System.out.println("{\"member\":" + i + ",\"step\":\"records\",\"count\":" + n + "}");
        } catch (Exception e) {
          System.out.println("{\"member\":" + i + ",\"step\":\"error\",\"error\":\"" + e.toString().replace("\"", "'").replace("\n", " ") + "\"}");
          failed[i] = true;
        }
      }
    }
    for (int i = 0; i < members; i++) {
      consumers.get(i).close(Duration.ofSeconds(5));
      System.out.println("{\"member\":" + i + ",\"step\":\"closed\"}");
    }
  }
}
