// Kafka 4.4's own StandardAuthorizer as an oracle (test/unit/authorizer-grid.test.ts): reads
// an ACL table and a grid of questions on stdin, answers each with Kafka's decision.
//
// stdin, one tab-separated record per line:
//   config <key> <value>                                   (before the first acl)
//   acl <resourceType> <name> <patternType> <principal> <host> <operation> <permission>   (codes)
//   ask <principal> <host> <resourceType> <name> <operation>
//   bytype <principal> <host> <resourceType> <operation>   (authorizeByResourceType)
// stdout: one line per ask/bytype, in order: A (allowed) or D (denied).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.internals.SecurityUtils;
import org.apache.kafka.metadata.authorizer.StandardAcl;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;

public class AclGrid {
  static AuthorizableRequestContext context(String principal, String host) throws Exception {
    KafkaPrincipal p = SecurityUtils.parseKafkaPrincipal(principal);
    InetAddress addr = InetAddress.getByName(host);
    return (AuthorizableRequestContext) Proxy.newProxyInstance(
        AclGrid.class.getClassLoader(),
        new Class<?>[] {AuthorizableRequestContext.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "principal" -> p;
          case "clientAddress" -> addr;
          case "listenerName" -> "PLAINTEXT";
          case "securityProtocol" -> SecurityProtocol.PLAINTEXT;
          case "requestType" -> 3;
          case "requestVersion" -> 12;
          case "clientId" -> "grid";
          case "correlationId" -> 1;
          case "hashCode" -> System.identityHashCode(proxy);
          case "toString" -> "grid-context";
          default -> null;
        });
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    Map<String, Object> configs = new HashMap<>();
    Map<Uuid, StandardAcl> acls = new HashMap<>();
    List<String[]> questions = new ArrayList<>();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", -1);
      switch (f[0]) {
        case "config" -> configs.put(f[1], f[2]);
        case "acl" -> acls.put(Uuid.randomUuid(), new StandardAcl(
            ResourceType.fromCode(Byte.parseByte(f[1])), f[2], PatternType.fromCode(Byte.parseByte(f[3])),
            f[4], f[5], AclOperation.fromCode(Byte.parseByte(f[6])), AclPermissionType.fromCode(Byte.parseByte(f[7]))));
        default -> questions.add(f);
      }
    }
    StandardAuthorizer auth = new StandardAuthorizer();
    auth.configure(configs);
    auth.withPluginMetrics(new PluginMetricsImpl(new Metrics(), Map.of("config", "authorizer.class.name", "class", "StandardAuthorizer")));
    auth.loadSnapshot(acls);
    auth.completeInitialLoad();
    StringBuilder out = new StringBuilder();
    for (String[] q : questions) {
      AuthorizableRequestContext ctx = context(q[1], q[2]);
      ResourceType type = ResourceType.fromCode(Byte.parseByte(q[3]));
      AuthorizationResult r;
      if (q[0].equals("ask")) {
        Action action = new Action(AclOperation.fromCode(Byte.parseByte(q[5])), new ResourcePattern(type, q[4], PatternType.LITERAL), 1, true, true);
        r = auth.authorize(ctx, List.of(action)).get(0);
      } else {
        r = auth.authorizeByResourceType(ctx, AclOperation.fromCode(Byte.parseByte(q[4])), type);
      }
      out.append(r == AuthorizationResult.ALLOWED ? 'A' : 'D').append('\n');
    }
    System.out.print(out);
    System.out.flush();
  }
}
