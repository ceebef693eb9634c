// A KIP-848 consumer (group.protocol=consumer) subscribed by a broker-side regular expression
// (SubscriptionPattern: ConsumerGroupHeartbeat v1's SubscribedTopicRegex, RE2/J syntax).
// Args: bootstrap group regex expectedRecords. Polls until it has read expectedRecords records
// (or 30 s pass), commits, and prints one JSON line: the topics read, the record count, the
// assignment and the ConsumerGroupHeartbeat version the client negotiated is implied by the
// subscription working at all (v0 has no regex field).
import java.time.Duration;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

public class RegexConsumer {
  public static void main(String[] args) {
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("group.id", args[1]);
    p.put("group.protocol", "consumer");
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    int expected = Integer.parseInt(args[3]);
    TreeMap<String, Integer> perTopic = new TreeMap<>();
    int total = 0;
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      c.subscribe(new SubscriptionPattern(args[2]));
      long deadline = System.currentTimeMillis() + 30_000;
      while (total < expected && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          perTopic.merge(r.topic(), 1, Integer::sum);
          total++;
        }
      }
      c.commitSync();
      TreeSet<String> assigned = new TreeSet<>();
      for (TopicPartition tp : c.assignment()) assigned.add(tp.toString());
      StringBuilder json = new StringBuilder("{\"total\":" + total + ",\"perTopic\":{");
      int i = 0;
      for (var e : perTopic.entrySet()) json.append(i++ > 0 ? "," : "").append('"').append(e.getKey()).append("\":").append(e.getValue());
      json.append("},\"assignment\":[");
      i = 0;
      for (String a : assigned) json.append(i++ > 0 ? "," : "").append('"').append(a).append('"');
      json.append("]}");
      System.out.println(json);
    }
  }
}
