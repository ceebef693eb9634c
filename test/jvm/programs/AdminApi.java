// The Java AdminClient (kafka-clients 4.4.0) against a broker: every Admin method kafkalite
// serves, one JSON line per step, with values that do not depend on which broker answered
// (no ids, hosts or ports), so a test can compare kafkalite's lines with Kafka 4.4's.
//
//   java -cp 'test/jvm/.cache/lib/*' AdminApi.java <bootstrap> <prefix>
//
// Errors are reported as {"error": ExceptionClass, "message": ...}; a step that throws
// something unexpected exits 1.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.*;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class AdminApi {
  static final ObjectMapper JSON = new ObjectMapper();
  static String bootstrap;
  static Admin admin;

  static void emit(String step, Object value) throws Exception {
    System.out.println(JSON.writeValueAsString(obj("step", step, "value", value)));
    System.out.flush();
  }

  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  interface Call<T> {
    T get() throws Exception;
  }

  /** The value, or {error, message} when the future failed with a Kafka error. */
  static <T> Object attempt(Call<T> call, Function<T, Object> show) throws Exception {
    try {
      return show.apply(call.get());
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (!(c instanceof KafkaException)) throw e;
      return obj("error", c.getClass().getSimpleName(), "message", c.getMessage());
    }
  }

  static Object ok(Object ignored) {
    return "ok";
  }

  public static void main(String[] args) throws Exception {
    bootstrap = args[0];
    String prefix = args[1];
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    try {
      cluster();
      topics(prefix);
      configs(prefix);
      records(prefix);
      groups(prefix);
      consumerGroups(prefix);
      transactions(prefix);
      deletion(prefix);
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }

  static void cluster() throws Exception {
    DescribeClusterResult c = admin.describeCluster();
    emit("describeCluster", obj("nodes", c.nodes().get().stream().map(Node::id).toList(), "controllerPresent", c.controller().get() != null,
        "clusterIdLength", c.clusterId().get().length()));
    FeatureMetadata f = admin.describeFeatures().featureMetadata().get();
    Map<String, Object> finalized = new TreeMap<>();
    f.finalizedFeatures().forEach((k, v) -> finalized.put(k, List.of(v.minVersionLevel(), v.maxVersionLevel())));
    Map<String, Object> supported = new TreeMap<>();
    f.supportedFeatures().forEach((k, v) -> supported.put(k, List.of(v.minVersion(), v.maxVersion())));
    // Not compared across brokers: Kafka 4.4 finalizes features kafkalite does not have.
    emit("describeFeatures", obj("finalized", finalized, "supported", supported));
  }

  static Object describeTopic(TopicDescription d) {
    List<Object> parts = new ArrayList<>();
    for (TopicPartitionInfo p : d.partitions()) {
      parts.add(obj("partition", p.partition(), "leader", p.leader().id(), "replicas", p.replicas().stream().map(Node::id).toList(), "isr",
          p.isr().stream().map(Node::id).toList()));
    }
    return obj("name", d.name(), "internal", d.isInternal(), "partitions", parts);
  }

  static void topics(String prefix) throws Exception {
    String t = prefix + "-t";
    NewTopic nt = new NewTopic(t, 3, (short) 1).configs(Map.of("retention.ms", "123456", "max.message.bytes", "200000"));
    CreateTopicsResult created = admin.createTopics(List.of(nt));
    emit("createTopics", attempt(() -> created.all().get(), ok -> {
      try {
        Config cfg = created.config(t).get();
        return obj("partitions", created.numPartitions(t).get(), "replicationFactor", created.replicationFactor(t).get(), "retention.ms",
            cfg.get("retention.ms").value(), "retention.ms.source", cfg.get("retention.ms").source().toString(), "cleanup.policy",
            cfg.get("cleanup.policy").value(), "cleanup.policy.source", cfg.get("cleanup.policy").source().toString());
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }));
    emit("createTopics.existing", attempt(() -> admin.createTopics(List.of(new NewTopic(t, 1, (short) 1))).all().get(), AdminApi::ok));
    emit("createTopics.validateOnly",
        attempt(() -> admin.createTopics(List.of(new NewTopic(prefix + "-v", 2, (short) 1)), new CreateTopicsOptions().validateOnly(true)).all().get(),
            AdminApi::ok));
    emit("createTopics.badReplication", attempt(() -> admin.createTopics(List.of(new NewTopic(prefix + "-r", 1, (short) 3))).all().get(), AdminApi::ok));
    emit("createTopics.badConfig",
        attempt(() -> admin.createTopics(List.of(new NewTopic(prefix + "-c", 1, (short) 1).configs(Map.of("cleanup.policy", "sideways")))).all().get(),
            AdminApi::ok));
    emit("createTopics.badName", attempt(() -> admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).all().get(), AdminApi::ok));
    emit("listTopics", attempt(() -> admin.listTopics().names().get(), names -> names.stream().filter(n -> n.startsWith(prefix)).sorted().toList()));
    emit("describeTopics", attempt(() -> admin.describeTopics(List.of(t)).allTopicNames().get().get(t), AdminApi::describeTopic));
    Uuid id = admin.describeTopics(List.of(t)).allTopicNames().get().get(t).topicId();
    emit("describeTopics.byId", attempt(() -> admin.describeTopics(TopicCollection.ofTopicIds(List.of(id))).allTopicIds().get().get(id), d -> d.name()));
    emit("describeTopics.unknown", attempt(() -> admin.describeTopics(List.of(prefix + "-none")).allTopicNames().get(), AdminApi::ok));
    emit("createPartitions", attempt(() -> admin.createPartitions(Map.of(t, NewPartitions.increaseTo(5))).all().get(), AdminApi::ok));
    // Kafka adds them through its metadata log: describe until five show (5 s at most).
    long deadline = System.currentTimeMillis() + 5_000;
    while (admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions().size() < 5 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    emit("createPartitions.described", admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions().size());
    emit("createPartitions.decrease", attempt(() -> admin.createPartitions(Map.of(t, NewPartitions.increaseTo(2))).all().get(), AdminApi::ok));
    emit("createPartitions.unknown", attempt(() -> admin.createPartitions(Map.of(prefix + "-none", NewPartitions.increaseTo(2))).all().get(), AdminApi::ok));
    emit("electLeaders", attempt(() -> admin.electLeaders(ElectionType.PREFERRED, Set.of(new TopicPartition(t, 0))).partitions().get(), m -> {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((tp, err) -> out.put(tp.toString(), err.map(e -> e.getClass().getSimpleName()).orElse("none")));
      return out;
    }));
    emit("listPartitionReassignments", attempt(() -> admin.listPartitionReassignments().reassignments().get(), Map::size));
  }

  static Map<String, Object> configView(ConfigResource r, String... names) throws Exception {
    Config c = admin.describeConfigs(List.of(r)).all().get().get(r);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String n : names) {
      ConfigEntry e = c.get(n);
      out.put(n, e == null ? null : List.of(String.valueOf(e.value()), e.source().toString(), e.isReadOnly(), e.isSensitive()));
    }
    return out;
  }

  /** Kafka applies broker configs through its metadata log: describe until the value shows (5 s at most). */
  static Map<String, Object> configUntil(ConfigResource r, String name, String value) throws Exception {
    long deadline = System.currentTimeMillis() + 5_000;
    while (true) {
      Map<String, Object> v = configView(r, name);
      if (((List<?>) v.get(name)).get(0).equals(value) || System.currentTimeMillis() > deadline) return v;
      Thread.sleep(50);
    }
  }

  static void configs(String prefix) throws Exception {
    String t = prefix + "-t";
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, t);
    emit("describeConfigs.topic", configView(topic, "retention.ms", "cleanup.policy", "max.message.bytes", "segment.bytes",
        "compression.type", "message.timestamp.type"));
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
    emit("describeConfigs.broker", configView(broker, "log.retention.hours", "log.segment.bytes", "auto.create.topics.enable",
        "offsets.retention.minutes", "message.max.bytes"));
    emit("describeConfigs.unknownTopic",
        attempt(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, prefix + "-none"))).all().get(), AdminApi::ok));
    Map<ConfigResource, Collection<AlterConfigOp>> ops = Map.of(topic, List.of(
        new AlterConfigOp(new ConfigEntry("retention.ms", "5000"), AlterConfigOp.OpType.SET),
        new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE),
        new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)));
    emit("incrementalAlterConfigs", attempt(() -> admin.incrementalAlterConfigs(ops).all().get(), AdminApi::ok));
    emit("incrementalAlterConfigs.described", configView(topic, "retention.ms", "max.message.bytes", "cleanup.policy"));
    Map<ConfigResource, Collection<AlterConfigOp>> subtract = Map.of(topic, List.of(
        new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SUBTRACT)));
    emit("incrementalAlterConfigs.subtract", attempt(() -> admin.incrementalAlterConfigs(subtract).all().get(), AdminApi::ok));
    emit("incrementalAlterConfigs.subtracted", configView(topic, "cleanup.policy"));
    Map<ConfigResource, Collection<AlterConfigOp>> reset = Map.of(topic, List.of(
        new AlterConfigOp(new ConfigEntry("cleanup.policy", ""), AlterConfigOp.OpType.DELETE)));
    emit("incrementalAlterConfigs.delete", attempt(() -> admin.incrementalAlterConfigs(reset).all().get(), AdminApi::ok));
    emit("incrementalAlterConfigs.deleted", configView(topic, "cleanup.policy"));
    Map<ConfigResource, Collection<AlterConfigOp>> validate = Map.of(topic, List.of(
        new AlterConfigOp(new ConfigEntry("retention.ms", "7000"), AlterConfigOp.OpType.SET)));
    emit("incrementalAlterConfigs.validateOnly",
        attempt(() -> admin.incrementalAlterConfigs(validate, new AlterConfigsOptions().validateOnly(true)).all().get(), AdminApi::ok));
    emit("incrementalAlterConfigs.validated", configView(topic, "retention.ms"));
    Map<ConfigResource, Collection<AlterConfigOp>> bad = Map.of(topic, List.of(
        new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET)));
    emit("incrementalAlterConfigs.badValue", attempt(() -> admin.incrementalAlterConfigs(bad).all().get(), AdminApi::ok));
    Map<ConfigResource, Collection<AlterConfigOp>> unknown = Map.of(topic, List.of(
        new AlterConfigOp(new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET)));
    emit("incrementalAlterConfigs.unknownKey", attempt(() -> admin.incrementalAlterConfigs(unknown).all().get(), AdminApi::ok));
    ConfigResource cluster = new ConfigResource(ConfigResource.Type.BROKER, "");
    Map<ConfigResource, Collection<AlterConfigOp>> brokerOps = Map.of(cluster, List.of(
        new AlterConfigOp(new ConfigEntry("log.retention.ms", "86400000"), AlterConfigOp.OpType.SET)));
    emit("incrementalAlterConfigs.clusterDefault", attempt(() -> admin.incrementalAlterConfigs(brokerOps).all().get(), AdminApi::ok));
    emit("incrementalAlterConfigs.clusterDefault.described", configUntil(broker, "log.retention.ms", "86400000"));
    Map<ConfigResource, Collection<AlterConfigOp>> brokerReset = Map.of(cluster, List.of(
        new AlterConfigOp(new ConfigEntry("log.retention.ms", ""), AlterConfigOp.OpType.DELETE)));
    emit("incrementalAlterConfigs.clusterDefault.reset", attempt(() -> admin.incrementalAlterConfigs(brokerReset).all().get(), AdminApi::ok));
    emit("incrementalAlterConfigs.clusterDefault.resetDescribed", configUntil(broker, "log.retention.ms", "null"));
  }

  static KafkaProducer<String, String> producer(String transactionalId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    if (transactionalId != null) p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return new KafkaProducer<>(p);
  }

  static Object offsets(TopicPartition tp, OffsetSpec spec) throws Exception {
    return attempt(() -> admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(), r -> List.of(r.offset(), r.timestamp()));
  }

  static void records(String prefix) throws Exception {
    TopicPartition tp = new TopicPartition(prefix + "-t", 0);
    long base = 1_700_000_000_000L;
    try (KafkaProducer<String, String> p = producer(null)) {
      for (int i = 0; i < 10; i++) p.send(new ProducerRecord<>(tp.topic(), 0, base + (i == 7 ? 50_000 : i * 1000L), "k", "v" + i));
    }
    emit("listOffsets", obj("earliest", offsets(tp, OffsetSpec.earliest()), "latest", offsets(tp, OffsetSpec.latest()), "maxTimestamp",
        offsets(tp, OffsetSpec.maxTimestamp()), "forTimestamp", offsets(tp, OffsetSpec.forTimestamp(base + 2500)), "afterLast",
        offsets(tp, OffsetSpec.forTimestamp(base + 60_000)), "earliestLocal", offsets(tp, OffsetSpec.earliestLocal()), "latestTiered",
        offsets(tp, OffsetSpec.latestTiered())));
    emit("deleteRecords", attempt(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(tp).get(),
        d -> d.lowWatermark()));
    emit("deleteRecords.earliest", offsets(tp, OffsetSpec.earliest()));
    emit("deleteRecords.beyondEnd",
        attempt(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(50))).lowWatermarks().get(tp).get(), d -> d.lowWatermark()));
    emit("deleteRecords.all", attempt(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(tp).get(),
        d -> d.lowWatermark()));
    emit("describeLogDirs", attempt(() -> admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1), dirs -> {
      Map<String, Object> out = new TreeMap<>();
      for (LogDirDescription d : dirs.values()) {
        ReplicaInfo ri = d.replicaInfos().get(tp);
        out.put("dirs", dirs.size());
        out.put("error", d.error() == null ? "none" : d.error().getClass().getSimpleName());
        if (ri != null) out.put("replica", obj("sizePositive", ri.size() > 0, "offsetLag", ri.offsetLag(), "isFuture", ri.isFuture()));
        out.put("totalBytesPresent", d.totalBytes().isPresent());
      }
      return out;
    }));
    TopicPartitionReplica replica = new TopicPartitionReplica(tp.topic(), tp.partition(), 1);
    emit("describeReplicaLogDirs", attempt(() -> admin.describeReplicaLogDirs(List.of(replica)).all().get().get(replica),
        info -> obj("hasDir", info.getCurrentReplicaLogDir() != null, "futureDir", info.getFutureReplicaLogDir())));
  }

  static Properties consumerProps(String group, String instance, String protocol) {
    Properties p = consumerProps(group, instance);
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    if (protocol.equals("consumer")) p.remove(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
    return p;
  }

  static Properties consumerProps(String group, String instance) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "admin-test-consumer");
    if (instance != null) p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
    return p;
  }

  static Object describeGroup(ConsumerGroupDescription d) {
    List<Object> members = new ArrayList<>();
    for (MemberDescription m : d.members()) {
      members.add(obj("clientId", m.clientId(), "instanceId", m.groupInstanceId().orElse(null), "partitions",
          m.assignment().topicPartitions().stream().map(TopicPartition::toString).sorted().toList()));
    }
    return obj("state", d.groupState().toString(), "type", d.type().toString(), "simple", d.isSimpleConsumerGroup(), "assignor",
        d.partitionAssignor(), "members", members);
  }

  static Object offsetsView(Map<TopicPartition, OffsetAndMetadata> m) {
    Map<String, Object> out = new TreeMap<>();
    m.forEach((tp, om) -> out.put(tp.toString(), om == null ? null : List.of(om.offset(), om.metadata())));
    return out;
  }

  static void groups(String prefix) throws Exception {
    String t = prefix + "-t";
    String group = prefix + "-g";
    TopicPartition p0 = new TopicPartition(t, 0);
    TopicPartition p1 = new TopicPartition(t, 1);
    // A static member that stays in the group after close (it does not leave).
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(group, "admin-static"))) {
      c.subscribe(List.of(t));
      long deadline = System.currentTimeMillis() + 30_000;
      while (c.assignment().size() < 5 && System.currentTimeMillis() < deadline) c.poll(Duration.ofMillis(100));
      c.commitSync(Map.of(p0, new OffsetAndMetadata(5, "five"), p1, new OffsetAndMetadata(0)));
    }
    emit("describeConsumerGroups.static", attempt(() -> admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(),
        AdminApi::describeGroup));
    emit("alterConsumerGroupOffsets.active",
        attempt(() -> admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(1))).all().get(), AdminApi::ok));
    emit("removeMembersFromConsumerGroup", attempt(() -> admin.removeMembersFromConsumerGroup(group,
        new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove("admin-static")))).all().get(), AdminApi::ok));
    emit("describeConsumerGroups.empty", attempt(() -> admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(),
        AdminApi::describeGroup));
    emit("listGroups", attempt(() -> admin.listGroups().all().get(), gs -> gs.stream().filter(g -> g.groupId().equals(group))
        .map(g -> obj("type", g.type().map(Object::toString).orElse(null), "protocol", g.protocol(), "state",
            g.groupState().map(Object::toString).orElse(null))).toList()));
    emit("listConsumerGroups", attempt(() -> admin.listConsumerGroups().all().get(), gs -> gs.stream().filter(g -> g.groupId().equals(group))
        .map(g -> obj("simple", g.isSimpleConsumerGroup(), "state", g.groupState().map(Object::toString).orElse(null))).toList()));
    emit("listConsumerGroupOffsets", attempt(() -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(),
        AdminApi::offsetsView));
    emit("alterConsumerGroupOffsets",
        attempt(() -> admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(2, "two"), p1, new OffsetAndMetadata(1))).all().get(),
            AdminApi::ok));
    emit("listConsumerGroupOffsets.altered", attempt(() -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(),
        AdminApi::offsetsView));
    emit("deleteConsumerGroupOffsets", attempt(() -> admin.deleteConsumerGroupOffsets(group, Set.of(p1)).all().get(), AdminApi::ok));
    emit("listConsumerGroupOffsets.deleted", attempt(() -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(),
        AdminApi::offsetsView));
    emit("deleteConsumerGroups", attempt(() -> admin.deleteConsumerGroups(List.of(group)).all().get(), AdminApi::ok));
    emit("deleteConsumerGroups.again", attempt(() -> admin.deleteConsumerGroups(List.of(group)).all().get(), AdminApi::ok));
    emit("describeConsumerGroups.deleted", attempt(() -> admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(),
        AdminApi::describeGroup));
    emit("listConsumerGroupOffsets.deletedGroup", attempt(() -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(),
        AdminApi::offsetsView));
  }

  /** The same group operations on a KIP-848 consumer group (group.protocol=consumer). */
  static void consumerGroups(String prefix) throws Exception {
    String t = prefix + "-t";
    String group = prefix + "-cg";
    TopicPartition p0 = new TopicPartition(t, 0);
    // A static member: close() sends a static leave (epoch -2), so it stays in the group.
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(group, "cg-static", "consumer"))) {
      c.subscribe(List.of(t));
      long deadline = System.currentTimeMillis() + 30_000;
      while (c.assignment().size() < 5 && System.currentTimeMillis() < deadline) c.poll(Duration.ofMillis(100));
      c.commitSync(Map.of(p0, new OffsetAndMetadata(3, "three")));
    }
    emit("consumerGroup.describe", attempt(() -> admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(),
        AdminApi::describeGroup));
    emit("consumerGroup.listGroups", attempt(() -> admin.listGroups().all().get(), gs -> gs.stream().filter(g -> g.groupId().equals(group))
        .map(g -> obj("type", g.type().map(Object::toString).orElse(null), "protocol", g.protocol(), "state",
            g.groupState().map(Object::toString).orElse(null))).toList()));
    emit("consumerGroup.alterOffsets.active",
        attempt(() -> admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(1))).all().get(), AdminApi::ok));
    emit("consumerGroup.removeMembers", attempt(() -> admin.removeMembersFromConsumerGroup(group,
        new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove("cg-static")))).all().get(), AdminApi::ok));
    emit("consumerGroup.describe.empty", attempt(() -> admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(),
        AdminApi::describeGroup));
    emit("consumerGroup.alterOffsets",
        attempt(() -> admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(2, "two"))).all().get(), AdminApi::ok));
    emit("consumerGroup.listOffsets", attempt(() -> admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(),
        AdminApi::offsetsView));
    emit("consumerGroup.deleteOffsets", attempt(() -> admin.deleteConsumerGroupOffsets(group, Set.of(p0)).all().get(), AdminApi::ok));
    emit("consumerGroup.delete", attempt(() -> admin.deleteConsumerGroups(List.of(group)).all().get(), AdminApi::ok));
    emit("consumerGroup.listGroups.deleted", attempt(() -> admin.listGroups().all().get(),
        gs -> gs.stream().filter(g -> g.groupId().equals(group)).count()));
  }

  static void transactions(String prefix) throws Exception {
    String t = prefix + "-t";
    String id = prefix + "-txn";
    TopicPartition tp = new TopicPartition(t, 2);
    try (KafkaProducer<String, String> p = producer(id)) {
      p.initTransactions();
      p.beginTransaction();
      p.send(new ProducerRecord<>(t, 2, "k", "in a transaction")).get();
      emit("describeTransactions.ongoing", attempt(() -> admin.describeTransactions(List.of(id)).description(id).get(),
          d -> obj("state", d.state().toString(), "partitions", d.topicPartitions().stream().map(TopicPartition::toString).toList(), "timeoutMs",
              d.transactionTimeoutMs(), "hasStart", d.transactionStartTimeMs().isPresent())));
      emit("listTransactions.ongoing", attempt(() -> admin.listTransactions().all().get(),
          l -> l.stream().filter(x -> x.transactionalId().equals(id)).map(x -> x.state().toString()).toList()));
      emit("listTransactions.filtered", attempt(() -> admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.COMPLETE_COMMIT))).all().get(),
          l -> l.stream().filter(x -> x.transactionalId().equals(id)).map(x -> x.state().toString()).toList()));
      emit("describeProducers.ongoing", attempt(() -> admin.describeProducers(List.of(tp)).partitionResult(tp).get(),
          r -> r.activeProducers().stream().map(s -> obj("lastSequence", s.lastSequence(), "txnStart", s.currentTransactionStartOffset().orElse(-1L))).toList()));
      p.commitTransaction();
    }
    // Kafka 4.4 writes the markers after the commit returns (transactions v2): wait for CompleteCommit.
    long deadline = System.currentTimeMillis() + 5_000;
    while (admin.describeTransactions(List.of(id)).description(id).get().state() != TransactionState.COMPLETE_COMMIT
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    emit("describeTransactions.committed", attempt(() -> admin.describeTransactions(List.of(id)).description(id).get(),
        d -> obj("state", d.state().toString(), "partitions", d.topicPartitions().size())));
    emit("fenceProducers", attempt(() -> admin.fenceProducers(List.of(id)).all().get(), AdminApi::ok));
    emit("describeTransactions.fenced", attempt(() -> admin.describeTransactions(List.of(id)).description(id).get(), d -> d.state().toString()));
    emit("describeTransactions.unknown",
        attempt(() -> admin.describeTransactions(List.of(prefix + "-nope")).description(prefix + "-nope").get(), d -> d.state().toString()));
  }

  static void deletion(String prefix) throws Exception {
    String t = prefix + "-t";
    String other = prefix + "-d";
    admin.createTopics(List.of(new NewTopic(other, 1, (short) 1))).all().get();
    Uuid otherId = admin.describeTopics(List.of(other)).allTopicNames().get().get(other).topicId();
    emit("deleteTopics.byName", attempt(() -> admin.deleteTopics(List.of(t)).all().get(), AdminApi::ok));
    emit("deleteTopics.byId", attempt(() -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(otherId))).all().get(), AdminApi::ok));
    emit("deleteTopics.unknown", attempt(() -> admin.deleteTopics(List.of(t)).all().get(), AdminApi::ok));
    emit("deleteTopics.unknownId", attempt(() -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(otherId))).all().get(), AdminApi::ok));
    // Kafka deletes through its metadata log: wait until the names are gone (5 s at most).
    long deadline = System.currentTimeMillis() + 5_000;
    while (admin.listTopics().names().get().stream().anyMatch(n -> n.equals(t) || n.equals(other)) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    emit("listTopics.afterDelete", attempt(() -> admin.listTopics().names().get(), names -> names.stream().filter(n -> n.startsWith(prefix)).sorted().toList()));
  }
}
