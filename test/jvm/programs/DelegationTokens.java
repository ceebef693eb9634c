// Delegation tokens with Kafka's own tool and the Java client (kafka-tools and kafka-clients 4.4.0),
// in one JVM: kafka-delegation-tokens (org.apache.kafka.tools.DelegationTokenCommand, its main run
// in process with Exit's procedure replaced) creates, describes, renews and expires a token while
// logged in as <user> with PLAIN; a producer and an Admin log in with the token (SCRAM-SHA-512,
// tokenauth=true). One JSON line per step:
//
//   java -cp 'test/jvm/.cache/lib/*' DelegationTokens.java <bootstrap> <user> <password> <topic>
//
//   {"step":"create","tokenId":...,"hmac":...,"owner":...,"requester":...,"renewers":...}
//   {"step":"describe","total":...,"listed":...,"withoutOwner":...}
//   {"step":"produce-with-token","acked":3}
//   {"step":"create-with-token","error":<exception class>}       (a token connection may not manage tokens)
//   {"step":"renew","output":...}
//   {"step":"expire","output":...}
//   {"step":"describe-after-expire","total":0}
//   {"step":"login-after-expire","error":<class>,"message":...}

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileWriter;
import java.io.PrintStream;
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.tools.DelegationTokenCommand;

public class DelegationTokens {
  static final ObjectMapper JSON = new ObjectMapper();
  static final PrintStream OUT = System.out;

  static void emit(Object... kv) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    OUT.println(JSON.writeValueAsString(m));
    OUT.flush();
  }

  /** kafka-delegation-tokens with these arguments, its standard output. */
  static String tool(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true));
    try {
      DelegationTokenCommand.main(args);
    } catch (RuntimeException e) {
      if (!e.getMessage().startsWith("exit 0")) throw new RuntimeException(buf + "\n" + e.getMessage(), e);
    } finally {
      System.setOut(OUT);
    }
    return buf.toString();
  }

  static Properties tokenLogin(String bootstrap, String tokenId, String hmac) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", "SCRAM-SHA-512");
    p.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + tokenId + "\" password=\"" + hmac + "\" tokenauth=\"true\";");
    return p;
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], user = args[1], password = args[2], topic = args[3];
    Exit.setExitProcedure((code, msg) -> {
      throw new RuntimeException("exit " + code + (msg == null ? "" : ": " + msg));
    });
    File config = File.createTempFile("token-tool", ".properties");
    config.deleteOnExit();
    try (FileWriter w = new FileWriter(config)) {
      w.write("security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n");
      w.write("sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\"" + password + "\";\n");
    }
    String[] base = {"--bootstrap-server", bootstrap, "--command-config", config.getPath()};

    String created = tool(concat(base, "--create", "--max-life-time-period", "-1", "--renewer-principal", "User:bob"));
    String[] row = lastRow(created);
    String tokenId = row[0], hmac = row[1];
    emit("step", "create", "tokenId", tokenId, "hmac", hmac, "owner", row[2], "requester", row[3], "renewers", row[4]);

    // Without --owner-principal the tool sends an empty owner list, which Kafka answers with no tokens
    // (KafkaApis: ownersListEmpty); with the owner named, the token.
    String described = tool(concat(base, "--describe", "--owner-principal", "User:" + user));
    emit("step", "describe", "total", total(described), "listed", described.contains(tokenId), "withoutOwner", total(tool(concat(base, "--describe"))));

    // The broker's token cache follows the controller (Kafka): retry the first token login briefly.
    Properties pp = tokenLogin(bootstrap, tokenId, hmac);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    pp.put("max.block.ms", "20000");
    int acked = 0;
    try (KafkaProducer<String, String> p = new KafkaProducer<>(pp)) {
      for (int i = 0; i < 3; i++) {
        p.send(new ProducerRecord<>(topic, 0, null, "token-" + i)).get();
        acked++;
      }
    }
    emit("step", "produce-with-token", "acked", acked);

    try (Admin a = Admin.create(tokenLogin(bootstrap, tokenId, hmac))) {
      a.createDelegationToken().delegationToken().get();
      emit("step", "create-with-token", "error", null);
    } catch (Exception e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      emit("step", "create-with-token", "error", c.getClass().getSimpleName(), "message", c.getMessage());
    }

    String renewed = tool(concat(base, "--renew", "--hmac", hmac, "--renew-time-period", "3600000"));
    emit("step", "renew", "output", renewed.startsWith("Calling renew token operation") && renewed.contains("Completed renew operation. New expiry date"));

    String expired = tool(concat(base, "--expire", "--hmac", hmac, "--expiry-time-period", "-1"));
    emit("step", "expire", "output", expired.contains("Completed expire operation. New expiry date"));

    emit("step", "describe-after-expire", "total", total(tool(concat(base, "--describe", "--owner-principal", "User:" + user))));

    Properties ap = tokenLogin(bootstrap, tokenId, hmac);
    ap.put("default.api.timeout.ms", "15000");
    ap.put("request.timeout.ms", "10000");
    try (Admin a = Admin.create(ap)) {
      a.describeCluster().clusterId().get();
      emit("step", "login-after-expire", "error", null);
    } catch (Exception e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      emit("step", "login-after-expire", "error", c.getClass().getSimpleName(), "message", c.getMessage());
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The printed table's last row, split on runs of spaces. */
  static String[] lastRow(String output) {
    String[] lines = output.trim().split("\n");
    return lines[lines.length - 1].trim().split("\\s+");
  }

  static int total(String output) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Total number of tokens : (\\d+)").matcher(output);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }
}
