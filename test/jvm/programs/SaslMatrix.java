// The Java client's row of the SASL mechanisms x clients matrix (test/integration/sasl-matrix.test.ts):
// every cell in one JVM, one JSON line each, then a line with the client's version.
//
//   java -cp 'test/jvm/.cache/lib/*' SaslMatrix.java <ca.pem> <cell> [<cell>...]
//
//   <cell> = <protocol>,<bootstrap>,<mechanism>,<user>,<password>,<topic>,<tag>
//       protocol SASL_SSL (the CA as a PEM trust store, host name verified) or SASL_PLAINTEXT;
//       produce 3 records "<tag>-<i>" to partition 0 and read them back from the start.
//       OAUTHBEARER: Kafka's unsecured login (an unsigned JWT with sub=<user>), password ignored.
//       A refused connection reports the exception's class and message instead of values.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.internals.AppInfoParser;

public class SaslMatrix {
  static final ObjectMapper JSON = new ObjectMapper();

  static Properties props(String ca, String protocol, String bootstrap, String mechanism, String user, String password) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("security.protocol", protocol);
    if (protocol.equals("SASL_SSL")) {
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.location", ca);
    }
    p.put("sasl.mechanism", mechanism);
    String module = mechanism.equals("PLAIN")
        ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : mechanism.startsWith("SCRAM") ? "org.apache.kafka.common.security.scram.ScramLoginModule" : null;
    p.put("sasl.jaas.config", module != null
        ? module + " required username=\"" + user + "\" password=\"" + password + "\";"
        : "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"" + user + "\";");
    p.put("request.timeout.ms", "10000");
    p.put("default.api.timeout.ms", "15000");
    p.put("max.block.ms", "15000");
    p.put("delivery.timeout.ms", "20000");
    return p;
  }

  public static void main(String[] args) throws Exception {
    String ca = args[0];
    for (int i = 1; i < args.length; i++) {
      String[] a = args[i].split(",", -1);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("tag", a[6]);
      try {
        out.put("values", roundtrip(ca, a[0], a[1], a[2], a[3], a[4], a[5], a[6]));
      } catch (Exception e) {
        Throwable c = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        out.put("error", c.getClass().getSimpleName());
        out.put("message", String.valueOf(c.getMessage()));
      }
      System.out.println(JSON.writeValueAsString(out));
      System.out.flush();
    }
    System.out.println(JSON.writeValueAsString(Map.of("version", AppInfoParser.getVersion())));
  }

  static List<String> roundtrip(String ca, String protocol, String bootstrap, String mechanism, String user, String password, String topic, String tag)
      throws Exception {
    Properties pp = props(ca, protocol, bootstrap, mechanism, user, password);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    try (Producer<String, String> p = new KafkaProducer<>(pp)) {
      for (int i = 0; i < 3; i++) p.send(new ProducerRecord<>(topic, 0, null, tag + "-" + i)).get();
    }
    Properties cp = props(ca, protocol, bootstrap, mechanism, user, password);
    cp.put("key.deserializer", StringDeserializer.class.getName());
    cp.put("value.deserializer", StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    try (Consumer<String, String> c = new KafkaConsumer<>(cp)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long until = System.currentTimeMillis() + 20000;
      while (values.size() < 3 && System.currentTimeMillis() < until) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          if (r.value().startsWith(tag + "-")) values.add(r.value());
        }
      }
    }
    return values;
  }
}
