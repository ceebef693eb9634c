// Prints the names of every broker configuration key Kafka knows (KafkaConfig's ConfigDef),
// one per line, sorted: the source of config/kafka-broker-config-names.ts, and what
// test/integration/options-validation.test.ts compares that file with.
//
//   java -cp 'test/jvm/.cache/lib/*' test/jvm/programs/BrokerConfigNames.java

public class BrokerConfigNames {
  public static void main(String[] args) {
    var names = new java.util.TreeSet<String>(kafka.server.KafkaConfig$.MODULE$.configDef().names());
    for (String name : names) System.out.println(name);
  }
}
