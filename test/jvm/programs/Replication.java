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
//   truncation,<topic>,<controlUrl>
//       KIP-320 truncation detection over an unclean election (the topic has
//       unclean.leader.election.enable=true, partition 0 on the three nodes, leader and followers
//       read from GET /partitions): a, b replicated to all; the last follower ("lagging") paused;
//       c, d replicated to the leader and the other follower only; two consumers read all four; the
//       leader and the other follower go down, the lagging one is elected and its log (a, b) is the
//       truth; e is written there at offset 2. The consumer with auto.offset.reset=none gets
//       LogTruncationException (the divergent offset), the one with earliest resumes at the
//       truncation point and reads e. The nodes come back at the end.
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

  static String get(String url, String path) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/control/v1" + path)).GET().build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body();
  }

  /** GET /partitions/{topic}: partition 0's leader, epoch, offsets, replicas and ISR. */
  static Map<?, ?> partition(String controlUrl, String topic) throws Exception {
    return (Map<?, ?>) JSON.readValue(get(controlUrl, "/partitions/" + topic), List.class).get(0);
  }

  static KafkaConsumer<String, String> consumer(String reset) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "java-truncation-" + reset);
    props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    return new KafkaConsumer<>(props);
  }

  /** Records read until `count` arrived (offset:value), or the first exception's simple name and message. */
  static List<String> poll(KafkaConsumer<String, String> c, int count) {
    List<String> got = new ArrayList<>();
    long deadline = System.currentTimeMillis() + 30_000;
    while (got.size() < count && System.currentTimeMillis() < deadline) {
      try {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) got.add(r.offset() + ":" + r.value());
      } catch (LogTruncationException e) {
        got.add("LogTruncationException:" + e.divergentOffsets().values().iterator().next().offset());
        return got;
      }
    }
    return got;
  }

  static void truncation(String topic, String controlUrl) throws Exception {
    Map<?, ?> start = partition(controlUrl, topic);
    String leader = String.valueOf(start.get("leader"));
    List<String> followers = new ArrayList<>();
    for (Object id : (List<?>) start.get("replicas")) if (!String.valueOf(id).equals(leader)) followers.add(String.valueOf(id));
    String other = followers.get(0);
    String lagging = followers.get(1);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", "truncation");
    out.put("start", start);
    out.put("lagging", Integer.parseInt(lagging));
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaProducer<String, String> p = new KafkaProducer<>(props);
        KafkaConsumer<String, String> none = consumer("none");
        KafkaConsumer<String, String> earliest = consumer("earliest")) {
      send(p, topic, "a");
      send(p, topic, "b");
      control(controlUrl, "/nodes/" + lagging + "/pause");
      send(p, topic, "c");
      send(p, topic, "d");
      long deadline = System.currentTimeMillis() + 30_000;
      while (((List<?>) partition(controlUrl, topic).get("isr")).size() != 2) {
        if (System.currentTimeMillis() > deadline) fail("truncation: " + lagging + " never left the ISR: " + get(controlUrl, "/partitions/" + topic));
        Thread.sleep(100);
      }
      for (KafkaConsumer<String, String> c : List.of(none, earliest)) {
        c.assign(List.of(tp));
        c.seek(tp, 0);
      }
      out.put("before", List.of(poll(none, 4), poll(earliest, 4)));
      control(controlUrl, "/nodes/" + leader + "/down");
      control(controlUrl, "/nodes/" + other + "/down");
      out.put("partition", partition(controlUrl, topic));
      out.put("produced", send(p, topic, "e"));
      out.put("none", poll(none, 1));
      out.put("earliest", poll(earliest, 1));
    } finally {
      control(controlUrl, "/nodes/" + lagging + "/resume");
      control(controlUrl, "/nodes/" + leader + "/up");
      control(controlUrl, "/nodes/" + other + "/up");
    }
    emit(out);
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    for (int i = 1; i < args.length; i++) {
      String[] a = args[i].split(",");
      switch (a[0]) {
        case "minisr" -> minIsr(a[1], a[2], a[3], a[4]);
        case "rack" -> rack(a[1], a[2], Integer.parseInt(a[3]));
        case "truncation" -> truncation(a[1], a[2]);
        default -> fail("unknown scenario " + a[0]);
      }
    }
  }
}
