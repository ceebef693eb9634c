// The Java consumer (kafka-clients 4.4.0, which uses KIP-227 fetch sessions by default) assigned
// every partition of a topic: consumes what was produced, then, after the producer adds records
// to a few partitions, consumes those too (incremental fetches of the same session).
//
//   java -cp 'test/jvm/.cache/lib/*' FetchSessions.java <bootstrap> <topic> <partitions> <perPartition>
//
// Prints one JSON line: {"first": n, "second": m}; a missing record exits 1.

import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class FetchSessions {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], topic = args[1];
    int partitions = Integer.parseInt(args[2]), perPartition = Integer.parseInt(args[3]);
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    cp.put(ConsumerConfig.CLIENT_ID_CONFIG, "fetch-sessions");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
      for (int p = 0; p < partitions; p++)
        for (int i = 0; i < perPartition; i++) producer.send(new ProducerRecord<>(topic, p, null, "a-" + p + "-" + i));
      producer.flush();
      List<TopicPartition> all = new ArrayList<>();
      for (int p = 0; p < partitions; p++) all.add(new TopicPartition(topic, p));
      consumer.assign(all);
      int first = consume(consumer, partitions * perPartition, "a-");
      // A few partitions get more records: the session's incremental fetches must bring them.
      for (int p = 0; p < partitions; p += 10) producer.send(new ProducerRecord<>(topic, p, null, "b-" + p));
      producer.flush();
      int second = consume(consumer, (partitions + 9) / 10, "b-");
      System.out.println("{\"first\": " + first + ", \"second\": " + second + "}");
    }
  }

  static int consume(KafkaConsumer<String, String> consumer, int expected, String prefix) {
    Set<String> seen = new HashSet<>();
    long deadline = System.currentTimeMillis() + 30_000;
    while (seen.size() < expected) {
      if (System.currentTimeMillis() > deadline) {
        System.err.println("consumed " + seen.size() + " of " + expected + " " + prefix + " records");
        System.exit(1);
      }
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
        if (!r.value().startsWith(prefix) || !seen.add(r.value())) {
          System.err.println("unexpected record " + r.value() + " at " + r.topic() + "-" + r.partition() + "@" + r.offset());
          System.exit(1);
        }
      }
    }
    return seen.size();
  }
}
