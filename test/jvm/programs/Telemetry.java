// Client telemetry (KIP-714) of the Java clients (kafka-clients 4.4.0, enable.metrics.push true by
// default) against a broker:
//
//   java -cp 'test/jvm/.cache/lib/*' Telemetry.java <bootstrap> <topic> <client-id-prefix> <count> <broker-http-url>
//
// A producer (client.id <prefix>-producer) sends <count> records to <topic>, a consumer
// (<prefix>-consumer) reads them back, an admin client (<prefix>-admin, enable.metrics.push set:
// it defaults to false for admin clients) lists topics. Each client's clientInstanceId() waits
// for its GetTelemetrySubscriptions answer; the client then stays open until the broker's HTTP
// API (GET <broker-http-url>/api/v1/clients/<id>) has its first push, which the client sends
// between 0.5 and 1.5 push intervals later (short intervals come from a CLIENT_METRICS resource).
//
// Prints one JSON line per client: {client, clientId, instanceId}; exits 1 on a failure.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class Telemetry {
  static final ObjectMapper JSON = new ObjectMapper();

  static void emit(String client, String clientId, Uuid id) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("client", client);
    m.put("clientId", clientId);
    m.put("instanceId", id.toString());
    System.out.println(JSON.writeValueAsString(m));
    System.out.flush();
  }

  /** Until the broker shows a push of this client instance (60 s at most), running `meanwhile` between checks. */
  static void awaitPush(String http, Uuid id, Runnable meanwhile) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req = HttpRequest.newBuilder(URI.create(http + "/api/v1/clients/" + id)).build();
    long deadline = System.currentTimeMillis() + 60_000;
    while (client.send(req, HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
      if (System.currentTimeMillis() > deadline) {
        System.err.println("FAILED: no push from client instance " + id);
        System.exit(1);
      }
      meanwhile.run();
    }
  }

  static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      throw new RuntimeException(e);
    }
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], topic = args[1], prefix = args[2], http = args[4];
    int count = Integer.parseInt(args[3]);
    Duration wait = Duration.ofSeconds(30);

    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.CLIENT_ID_CONFIG, prefix + "-producer");
    pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
      for (int i = 0; i < count; i++) producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
      Uuid id = producer.clientInstanceId(wait);
      awaitPush(http, id, Telemetry::pause);
      emit("producer", prefix + "-producer", id);
    }

    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cp.put(ConsumerConfig.CLIENT_ID_CONFIG, prefix + "-consumer");
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "-group");
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
      consumer.subscribe(List.of(topic));
      int got = 0;
      long deadline = System.currentTimeMillis() + 60_000;
      while (got < count && System.currentTimeMillis() < deadline) got += consumer.poll(Duration.ofMillis(500)).count();
      if (got < count) {
        System.err.println("FAILED: consumed " + got + " of " + count);
        System.exit(1);
      }
      Uuid id = consumer.clientInstanceId(wait);
      awaitPush(http, id, () -> consumer.poll(Duration.ofMillis(100)));
      emit("consumer", prefix + "-consumer", id);
    }

    Properties ap = new Properties();
    ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    ap.put(AdminClientConfig.CLIENT_ID_CONFIG, prefix + "-admin");
    // The admin client pushes only when asked (enable.metrics.push defaults to false for it).
    ap.put(AdminClientConfig.ENABLE_METRICS_PUSH_CONFIG, true);
    try (Admin admin = Admin.create(ap)) {
      admin.listTopics().names().get();
      Uuid id = admin.clientInstanceId(wait);
      awaitPush(http, id, Telemetry::pause);
      emit("admin", prefix + "-admin", id);
    }
  }
}
