// Three transactions of the Java producer, then what a read_committed consumer sees.
// Args: bootstrap topic group. The producer takes transactions v2 (KIP-890 part 2) when the
// broker finalizes transaction.version >= 2 (ApiVersions), else the AddPartitionsToTxn flow.
// 1: three records and the group's offset 7 for partition 0 (sendOffsetsToTransaction), commit;
// 2: two records, abort; 3: one record, commit. Prints one JSON line: the values read and the
// group's committed offset.
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class TxV2 {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], topic = args[1], group = args[2];
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("transactional.id", "txv2-" + UUID.randomUUID());
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    TopicPartition tp0 = new TopicPartition(topic, 0);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < 3; i++) producer.send(new ProducerRecord<>(topic, i % 2, "k", "one-" + i));
      producer.sendOffsetsToTransaction(Map.of(tp0, new OffsetAndMetadata(7)), new ConsumerGroupMetadata(group));
      producer.commitTransaction();
      producer.beginTransaction();
      for (int i = 0; i < 2; i++) producer.send(new ProducerRecord<>(topic, i % 2, "k", "two-" + i));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 1, "k", "three-0"));
      producer.commitTransaction();
    }
    Properties c = new Properties();
    c.put("bootstrap.servers", bootstrap);
    c.put("isolation.level", "read_committed");
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> tps = List.of(tp0, new TopicPartition(topic, 1));
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      long deadline = System.currentTimeMillis() + 15_000;
      while (values.size() < 4 && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) values.add(r.value());
      }
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) values.add(r.value());
    }
    values.sort(null);
    long offset;
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(a)) {
      OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp0);
      offset = o == null ? -1 : o.offset();
    }
    StringBuilder json = new StringBuilder("{\"values\":[");
    for (int i = 0; i < values.size(); i++) json.append(i > 0 ? "," : "").append('"').append(values.get(i)).append('"');
    json.append("],\"groupOffset\":").append(offset).append('}');
    System.out.println(json);
  }
}
