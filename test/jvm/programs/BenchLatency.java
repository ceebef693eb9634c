// End-to-end latency probe for `npm run bench` (test/bench/peers/clients.ts), the same for every
// broker: a Java producer (kafka-clients 4.4.0, acks=all, linger.ms=0) sends <rate> records a second
// for <seconds>, each value the sender's System.nanoTime(); a Java consumer in the same JVM
// (assign(), no group, from the beginning) reads them; latency = receive time - stamp. The first
// <rate> x 2 records are a warm-up (JIT, connections) and not counted.
//
//   java -cp 'test/jvm/.cache/lib/*' BenchLatency.java <bootstrap> <topic> <rate> <seconds>
//
// Prints one JSON line: {"sent":..,"received":..,"p50Ms":..,"p99Ms":..,"p999Ms":..,"maxMs":..,"meanMs":..}
// With -Dbench.latency.dump=<file>, also writes each counted record as a line "<send epoch us> <latency us>"
// (send time from Instant.now()), to line the slow ones up with the broker's own traces.

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class BenchLatency {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], topic = args[1];
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int warmup = rate * 2, total = rate * seconds;
    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("acks", "all");
    pp.put("linger.ms", "0");
    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    cp.put("enable.auto.commit", "false");
    long[] lat = new long[warmup + total];
    String dump = System.getProperty("bench.latency.dump");
    long[] sentUs = dump != null ? new long[warmup + total] : null;
    int[] got = {0};
    AtomicBoolean stop = new AtomicBoolean();
    TopicPartition tp = new TopicPartition(topic, 0);
    Thread reader = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        c.assign(List.of(tp));
        c.seekToBeginning(List.of(tp));
        while (!stop.get() && got[0] < lat.length) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
            long now = System.nanoTime();
            long stamp = Long.parseLong(new String(r.value(), StandardCharsets.US_ASCII));
            if (got[0] < lat.length) lat[got[0]++] = now - stamp;
          }
        }
      }
    });
    reader.start();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
      p.partitionsFor(topic);
      long t0 = System.nanoTime();
      long period = 1_000_000_000L / rate;
      for (int i = 0; i < warmup + total; i++) {
        long due = t0 + i * period;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          if (wait > 200_000) Thread.sleep(0, 100_000); else Thread.onSpinWait();
        }
        if (sentUs != null) {
          Instant now = Instant.now();
          sentUs[i] = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }
        p.send(new ProducerRecord<>(topic, 0, null, Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII)));
      }
      p.flush();
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (reader.isAlive() && System.nanoTime() < deadline) reader.join(100);
    stop.set(true);
    reader.join();
    int n = Math.max(0, got[0] - warmup);
    long[] m = Arrays.copyOfRange(lat, warmup, warmup + n);
    if (sentUs != null) {
      try (PrintWriter w = new PrintWriter(dump, StandardCharsets.US_ASCII)) {
        for (int k = 0; k < n; k++) w.println(sentUs[warmup + k] + " " + m[k] / 1000);
      }
    }
    Arrays.sort(m);
    double mean = 0;
    for (long v : m) mean += v;
    mean = n > 0 ? mean / n / 1e6 : Double.NaN;
    System.out.printf(Locale.ROOT, "{\"sent\":%d,\"received\":%d,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f,\"meanMs\":%.3f}%n",
        total, n, pct(m, 50), pct(m, 99), pct(m, 99.9), n > 0 ? m[n - 1] / 1e6 : Double.NaN, mean);
  }

  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1] / 1e6;
  }
}
