// Prints, as JSON, the wire schemas of Kafka's generated message classes (their static SCHEMAS
// arrays), version by version: field names in order, wire types (INT64, COMPACT_STRING, ...),
// arrays, nested structs and tagged fields: the layouts Kafka writes. test/jvm/resolve.mjs runs
// it once over the coordinators' record classes (org.apache.kafka.coordinator.*.generated.*) and
// test/unit/record-schemas.test.ts compares our schemas (protocol/messages/*-records.ts) with
// its output.
//
//   java -cp 'test/jvm/.cache/lib/*' test/jvm/programs/DumpMessageSchemas.java <class> ...

import java.lang.reflect.Field;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.types.BoundField;
import org.apache.kafka.common.protocol.types.CompactArrayOf;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.TaggedFields;
import org.apache.kafka.common.protocol.types.Type;

public class DumpMessageSchemas {
  static String q(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  static String fields(Schema s) throws Exception {
    StringJoiner out = new StringJoiner(",", "[", "]");
    for (BoundField b : s.fields()) out.add("{\"name\":" + q(b.def.name) + ",\"type\":" + type(b.def.type) + "}");
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  static String type(Type t) throws Exception {
    if (t instanceof TaggedFields) {
      Field f = TaggedFields.class.getDeclaredField("fields");
      f.setAccessible(true);
      StringJoiner out = new StringJoiner(",", "{\"tagged\":[", "]}");
      for (Map.Entry<Integer, org.apache.kafka.common.protocol.types.Field> e :
          new TreeMap<>((Map<Integer, org.apache.kafka.common.protocol.types.Field>) f.get(t)).entrySet())
        out.add("{\"tag\":" + e.getKey() + ",\"name\":" + q(e.getValue().name) + ",\"type\":" + type(e.getValue().type) + "}");
      return out.toString();
    }
    if (t instanceof Schema s) return "{\"struct\":" + fields(s) + ",\"nullable\":" + t.isNullable() + "}";
    if (t.isArray())
      return "{\"array\":" + type(t.arrayElementType().get()) + ",\"compact\":" + (t instanceof CompactArrayOf) + ",\"nullable\":" + t.isNullable() + "}";
    return q(t.toString());
  }

  public static void main(String[] args) throws Exception {
    StringJoiner all = new StringJoiner(",\n", "{\n", "\n}\n");
    for (String name : args) {
      Class<?> c = Class.forName(name);
      Schema[] schemas = (Schema[]) c.getField("SCHEMAS").get(null);
      short lowest = c.getField("LOWEST_SUPPORTED_VERSION").getShort(null);
      short highest = c.getField("HIGHEST_SUPPORTED_VERSION").getShort(null);
      StringJoiner versions = new StringJoiner(",", "{", "}");
      for (int v = Math.max(0, lowest); v <= highest; v++)
        if (schemas[v] != null) versions.add(q(String.valueOf(v)) + ":" + fields(schemas[v]));
      all.add(q(c.getSimpleName()) + ":{\"lowest\":" + lowest + ",\"highest\":" + highest + ",\"versions\":" + versions + "}");
    }
    System.out.print(all);
  }
}
