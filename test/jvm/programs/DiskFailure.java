// The Java producer (kafka-clients 4.4.0, acks=all) against a broker whose disk fails: each send
// of the scenario prints what the client reports (its exception class and message, or the offset),
// then the Admin client's DescribeLogDirs of node 1 (each directory's error).
//
//   java -cp 'test/jvm/.cache/lib/*' DiskFailure.java <bootstrap> <topic> <sends>
//
// retries=0 (idempotence off, which needs retries), so the broker's first answer is what the
// send reports. One JSON line per send on stdout.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.*;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.StringSerializer;

public class DiskFailure {
  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.RETRIES_CONFIG, 0);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
    int sends = Integer.parseInt(args[2]);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < sends; i++) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("send", i);
        try {
          RecordMetadata md = producer.send(new ProducerRecord<>(args[1], 0, null, "java-" + i)).get();
          out.put("offset", md.offset());
        } catch (ExecutionException e) {
          out.put("error", e.getCause().getClass().getName());
          out.put("message", e.getCause().getMessage());
        }
        System.out.println(json.writeValueAsString(out));
        System.out.flush();
      }
    }
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    try (Admin admin = Admin.create(a)) {
      Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1);
      for (Map.Entry<String, LogDirDescription> e : dirs.entrySet()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("logDir", e.getKey());
        out.put("error", e.getValue().error() == null ? null : e.getValue().error().getClass().getName());
        out.put("replicas", e.getValue().replicaInfos().size());
        System.out.println(json.writeValueAsString(out));
      }
    }
  }
}
