// TLS checks through Kafka 4.4's own classes (kafka-clients 4.4.0), one JSON document in on
// stdin, one JSON line out:
//
//   java -cp 'test/jvm/.cache/lib/*' TlsCheck.java < input.json
//
//   { "mapping": [{ "rules": "...", "dn": "..." }],   SslPrincipalMapper.fromRules(rules).getName(dn):
//                                                      { "name" } | { "noMatch" } | { "invalid" }
//     "subjects": ["<PEM certificate>"],              X500Principal.getName() of each subject (RFC 2253)
//     "clients": [{ "props": {...}, "topic": "t" }] }  a producer sending one record, then
//                                                      Admin.describeCluster: { "offset", "nodes" } | { "error" }

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.*;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.apache.kafka.common.serialization.StringSerializer;

public class TlsCheck {
  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> in = json.readValue(System.in.readAllBytes(), Map.class);
    Map<String, Object> out = new LinkedHashMap<>();

    List<Object> mapping = new ArrayList<>();
    for (Map<String, String> row : (List<Map<String, String>>) in.getOrDefault("mapping", List.of())) {
      Map<String, Object> r = new LinkedHashMap<>();
      try {
        SslPrincipalMapper m = SslPrincipalMapper.fromRules(row.get("rules"));
        try {
          r.put("name", m.getName(row.get("dn")));
        } catch (Exception e) {
          r.put("noMatch", e.getMessage());
        }
      } catch (Exception e) {
        r.put("invalid", e.getMessage());
      }
      mapping.add(r);
    }
    out.put("mapping", mapping);

    List<Object> subjects = new ArrayList<>();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    for (String pem : (List<String>) in.getOrDefault("subjects", List.of())) {
      X509Certificate c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      subjects.add(c.getSubjectX500Principal().getName());
    }
    out.put("subjects", subjects);

    List<Object> clients = new ArrayList<>();
    for (Map<String, Object> c : (List<Map<String, Object>>) in.getOrDefault("clients", List.of())) {
      Map<String, Object> r = new LinkedHashMap<>();
      Properties p = new Properties();
      p.putAll((Map<String, String>) c.get("props"));
      p.put("key.serializer", StringSerializer.class.getName());
      p.put("value.serializer", StringSerializer.class.getName());
      p.putIfAbsent("max.block.ms", "15000");
      p.putIfAbsent("request.timeout.ms", "15000");
      p.putIfAbsent("default.api.timeout.ms", "15000");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
        r.put("offset", producer.send(new ProducerRecord<>((String) c.get("topic"), "java-tls")).get(20, TimeUnit.SECONDS).offset());
        try (Admin admin = Admin.create(p)) {
          DescribeClusterResult d = admin.describeCluster();
          List<String> nodes = new ArrayList<>();
          for (Node n : d.nodes().get(20, TimeUnit.SECONDS)) nodes.add(n.host() + ":" + n.port());
          r.put("nodes", nodes);
        }
      } catch (Exception e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        r.put("error", t.getClass().getSimpleName() + ": " + t.getMessage());
      }
      clients.add(r);
    }
    out.put("clients", clients);
    System.out.println(json.writeValueAsString(out));
  }
}
