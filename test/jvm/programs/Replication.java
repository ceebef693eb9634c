// The Java clients (kafka-clients 4.4.0) against simulated replication (broker/replication/),
// the scenarios named on the command line:
//
//   java -cp 'test/jvm/.cache/lib/*' Replication.java <bootstrap> <scenario>,<arg>,... [<scenario>,...]
//
//   minisr,<topic>,<controlUrl>,<node>,<node>
//       acks=all without retries to partition 0 (RF 3, min.insync.replicas=2): a send, then the two
//       nodes down over the control API, a send (NOT_ENOUGH_REPLICAS), the nodes up, a send
//   rack,<topic>,<rack>,<count>
//       a consumer with client.rack=<rack> reading <count> records of partition 0 from the start
//
// Every result is one JSON line on stdout; a broken expectation exits 1 with a message.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class Replication {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static String bootstrap;

  static void emit(Map<String, Object> m) throws Exception {
    System.out.println(JSON.writeValueAsString(m));
    System.out.flush();
  }

  static void fail(String msg) {
    System.err.println("FAILED: " + msg);
    System.exit(1);
  }

  static void control(String url, String path) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/control/v1" + path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build();
    HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) fail(path + " answered " + res.statusCode() + ": " + res.body());
  }

  /** The send's offset, or the simple name of the exception it failed with. */
  static Object send(KafkaProducer<String, String> p, String topic, String value) throws Exception {
    try {
      return p.send(new ProducerRecord<>(topic, 0, null, value)).get().offset();
    } catch (ExecutionException e) {
      return e.getCause().getClass().getSimpleName();
    }
  }

  static void minIsr(String topic, String controlUrl, String n1, String n2) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.RETRIES_CONFIG, "0");
    List<Object> results = new ArrayList<>();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(props)) {
      results.add(send(p, topic, "before"));
      control(controlUrl, "/nodes/" + n1 + "/down");
      control(controlUrl, "/nodes/" + n2 + "/down");
      results.add(send(p, topic, "two-down"));
      control(controlUrl, "/nodes/" + n1 + "/up");
      control(controlUrl, "/nodes/" + n2 + "/up");
      results.add(send(p, topic, "after"));
    }
    emit(Map.of("scenario", "minisr", "results", results));
  }

  static void rack(String topic, String rack, int count) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.CLIENT_RACK_CONFIG, rack);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "java-rack-" + rack);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long deadline = System.currentTimeMillis() + 30_000;
      while (values.size() < count && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) values.add(r.value());
      }
    }
    if (values.size() < count) fail("rack: read " + values.size() + " of " + count);
    emit(Map.of("scenario", "rack", "values", values));
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    for (int i = 1; i < args.length; i++) {
      String[] a = args[i].split(",");
      switch (a[0]) {
        case "minisr" -> minIsr(a[1], a[2], a[3], a[4]);
        case "rack" -> rack(a[1], a[2], Integer.parseInt(a[3]));
        default -> fail("unknown scenario " + a[0]);
      }
    }
  }
}
