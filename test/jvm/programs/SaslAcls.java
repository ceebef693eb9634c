// SASL principals against ACLs with the Java client (kafka-clients 4.4.0): for each case on the
// command line, a producer and a group consumer log in with SCRAM over SASL_PLAINTEXT as the
// user, and the outcome each sees is printed as one JSON line:
//
//   java -cp 'test/jvm/.cache/lib/*' SaslAcls.java <bootstrap>,<mechanism>,<user>,<password>,<topic>,<group> [...]
//
//   {"bootstrap":...,"user":...,"produce":"ok"|<exception class>,"consume":"ok"|<exception class>}
//
// produce: one record, acks=all; consume: subscribe with the group and poll until a record or an
// exception (15 s at most).

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class SaslAcls {
  static final ObjectMapper JSON = new ObjectMapper();

  static Properties login(String bootstrap, String mechanism, String user, String password) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", mechanism);
    p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";");
    return p;
  }

  /** The first Kafka error (org.apache.kafka.common.errors) in the cause chain, else the exception's class. */
  static String outcome(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c.getClass().getPackageName().equals("org.apache.kafka.common.errors")) return c.getClass().getSimpleName();
    }
    return e.getClass().getSimpleName();
  }

  public static void main(String[] args) throws Exception {
    for (String arg : args) {
      String[] a = arg.split(",");
      String bootstrap = a[0], mechanism = a[1], user = a[2], password = a[3], topic = a[4], group = a[5];
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("bootstrap", bootstrap);
      out.put("user", user);

      Properties pp = login(bootstrap, mechanism, user, password);
      pp.put("key.serializer", StringSerializer.class.getName());
      pp.put("value.serializer", StringSerializer.class.getName());
      pp.put("max.block.ms", "15000");
      pp.put("delivery.timeout.ms", "15000");
      pp.put("request.timeout.ms", "10000");
      try (KafkaProducer<String, String> p = new KafkaProducer<>(pp)) {
        p.send(new ProducerRecord<>(topic, 0, null, "from-" + user)).get();
        out.put("produce", "ok");
      } catch (Exception e) {
        out.put("produce", outcome(e));
      }

      Properties cp = login(bootstrap, mechanism, user, password);
      cp.put("key.deserializer", StringDeserializer.class.getName());
      cp.put("value.deserializer", StringDeserializer.class.getName());
      cp.put("group.id", group);
      cp.put("auto.offset.reset", "earliest");
      try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp)) {
        c.subscribe(List.of(topic));
        long end = System.currentTimeMillis() + 15000;
        String result = "timeout";
        while (System.currentTimeMillis() < end) {
          if (!c.poll(Duration.ofMillis(200)).isEmpty()) {
            result = "ok";
            break;
          }
        }
        out.put("consume", result);
      } catch (Exception e) {
        out.put("consume", outcome(e));
      }
      System.out.println(JSON.writeValueAsString(out));
      System.out.flush();
    }
  }
}
