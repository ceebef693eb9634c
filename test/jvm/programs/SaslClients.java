// SASL with the Java clients (kafka-clients 4.4.0): each scenario named on the command line,
// one JSON line each:
//
//   java -cp 'test/jvm/.cache/lib/*' SaslClients.java <bootstrap> <scenario>,<arg>,... [...]
//
//   roundtrip,<mechanism>,<user>,<password>,<topic>
//       produce 5 records and consume them back over SASL_PLAINTEXT with that mechanism
//       (OAUTHBEARER: an unsecured JWT with sub=<user> from Kafka's default login handler)
//   bad-password,<mechanism>,<user>,<password>
//       an Admin describeCluster that must fail: the exception's class and message
//   reauth,<mechanism>,<user>,<password>,<topic>,<ms>
//       a producer sending one record every 250 ms for <ms> ms on one connection (the broker's
//       connections.max.reauth.ms is short: the client must re-authenticate); the records acked
//
// A broken expectation exits 1 with a message.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class SaslClients {
  static final ObjectMapper JSON = new ObjectMapper();
  static String bootstrap;

  static void emit(Map<String, Object> m) throws Exception {
    System.out.println(JSON.writeValueAsString(m));
    System.out.flush();
  }

  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static void fail(String msg) {
    System.err.println("FAILED: " + msg);
    System.exit(1);
  }

  static Properties sasl(String mechanism, String user, String password) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", mechanism);
    String jaas;
    if (mechanism.equals("PLAIN")) {
      jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    } else if (mechanism.startsWith("SCRAM")) {
      jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    } else {
      jaas = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"" + user + "\";";
    }
    p.put("sasl.jaas.config", jaas);
    return p;
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    for (int i = 1; i < args.length; i++) {
      String[] a = args[i].split(",");
      switch (a[0]) {
        case "roundtrip" -> roundtrip(a[1], a[2], a[3], a[4]);
        case "bad-password" -> badPassword(a[1], a[2], a[3]);
        case "reauth" -> reauth(a[1], a[2], a[3], a[4], Long.parseLong(a[5]));
        default -> fail("unknown scenario " + a[0]);
      }
    }
  }

  static void roundtrip(String mechanism, String user, String password, String topic) throws Exception {
    Properties pp = sasl(mechanism, user, password);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    try (Producer<String, String> p = new KafkaProducer<>(pp)) {
      for (int i = 0; i < 5; i++) p.send(new ProducerRecord<>(topic, 0, "k" + i, mechanism + "-" + i)).get();
    }
    Properties cp = sasl(mechanism, user, password);
    cp.put("key.deserializer", StringDeserializer.class.getName());
    cp.put("value.deserializer", StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    try (Consumer<String, String> c = new KafkaConsumer<>(cp)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long until = System.currentTimeMillis() + 20000;
      while (values.size() < 5 && System.currentTimeMillis() < until) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) values.add(r.value());
      }
    }
    emit(obj("scenario", "roundtrip", "mechanism", mechanism, "values", values));
  }

  static void badPassword(String mechanism, String user, String password) throws Exception {
    Properties p = sasl(mechanism, user, password);
    p.put("default.api.timeout.ms", "10000");
    p.put("request.timeout.ms", "5000");
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().clusterId().get();
      fail("describeCluster succeeded with a bad password");
    } catch (java.util.concurrent.ExecutionException e) {
      emit(obj("scenario", "bad-password", "mechanism", mechanism, "error", e.getCause().getClass().getSimpleName(), "message", e.getCause().getMessage()));
    }
  }

  static void reauth(String mechanism, String user, String password, String topic, long ms) throws Exception {
    Properties pp = sasl(mechanism, user, password);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    int acked = 0;
    try (Producer<String, String> p = new KafkaProducer<>(pp)) {
      p.send(new ProducerRecord<>(topic, 0, "k", "first")).get(); // connected and authenticated: the clock starts
      long until = System.currentTimeMillis() + ms;
      while (System.currentTimeMillis() < until) {
        p.send(new ProducerRecord<>(topic, 0, "k", "v" + acked)).get();
        acked++;
        Thread.sleep(250);
      }
    }
    emit(obj("scenario", "reauth", "mechanism", mechanism, "acked", acked));
  }
}
