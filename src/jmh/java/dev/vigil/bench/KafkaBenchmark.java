package dev.vigil.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka in, from a broker of its own as a user's would be: a standalone KRaft broker (a process started here from
 * this classpath, on loopback) holds a backlog of one-feature points over 1,000 keys, produced before the packaged
 * jar starts; the jar then drains it, once to the default file sinks and once with every result sent to a Kafka
 * topic, one record per result ({@code vigil.sink.per-record.*}). Rates come from the scored-points counter on the
 * management port: 2,100,000 points of warm-up for the JIT, then three rounds of 300,000. Beside each rate, the
 * CPU per point of the application's threads by group (from {@code /proc}) and of the broker. No producer runs
 * while a round is timed, so the two cores serve Vigil and the broker's reads (and, for the per-record sink, its
 * writes).
 *
 * <p>{@code -Dkafka-bench.baseline=JAR} measures another build's packaged jar too, alternating with this one in
 * each pair ({@code -Dkafka-bench.pairs}), so the two compare within one run on a machine whose speed drifts.
 */
final class KafkaBenchmark {
    private static final int KEYS = 1000;
    private static final int WARM_UP = 2_100_000;
    private static final int POINTS = 300_000;
    private static final int ROUNDS = 3;
    private static final int PAIRS = Integer.getInteger("kafka-bench.pairs", 2);
    /** Every wait is bounded: a run that has not scored its points by then fails. */
    private static final Duration RUN_BOUND = Duration.ofMinutes(10);
    private static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low");

    private KafkaBenchmark() {
    }

    private record Build(String label, Path jar) {
    }

    /** One timed round: points per second; CPU µs per point by thread group, and the broker's. */
    private record Round(Build build, String sink, int pair, double rate, Map<String, Double> cpu, double broker) {
    }

    static String run() throws Exception {
        List<Build> builds = new ArrayList<>();
        String baseline = System.getProperty("kafka-bench.baseline", "");
        if (!baseline.isBlank()) {
            builds.add(new Build("baseline", Path.of(baseline).toAbsolutePath()));
        }
        builds.add(new Build("this checkout", Path.of(System.getProperty("route-bench.jar", "target/vigil-runner.jar"))
                .toAbsolutePath()));
        Path dir = Files.createTempDirectory("vigil-kafka-bench");
        List<Round> rounds = new ArrayList<>();
        try (Broker broker = Broker.start(dir.resolve("broker"))) {
            for (int pair = 1; pair <= PAIRS; pair++) {
                for (String sink : List.of("files", "kafka")) {
                    for (Build b : builds) {
                        rounds.addAll(drain(b, sink, pair, broker, dir.resolve("run")));
                    }
                }
            }
        } finally {
            RouteBenchmark.deleteTree(dir);
        }
        return report(builds, rounds);
    }

    /** Fills a new topic, starts the jar on it, and times its rounds. */
    private static List<Round> drain(Build build, String sink, int pair, Broker broker, Path work) throws Exception {
        String topic = "points-" + System.nanoTime();
        int total = WARM_UP + ROUNDS * POINTS;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1), new NewTopic(topic + "-results", 4,
                    (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        produce(broker.bootstrap, topic, total);
        RouteBenchmark.deleteTree(work);
        Files.createDirectories(work);
        RouteBenchmark.copyTree(Path.of("routes"), work.resolve("routes"));
        List<String> args = new ArrayList<>(List.of("-Dvigil.kafka.brokers=" + broker.bootstrap,
                "-Dvigil.kafka.topic=" + topic, "-Dvigil.kafka.group-id=" + topic));
        if (sink.equals("kafka")) {
            for (String s : SEVERITIES) {
                args.add("-Dvigil.sink." + s + "=kafka:" + topic + "-results?brokers=" + broker.bootstrap);
                args.add("-Dvigil.sink.per-record." + s + "=true");
            }
        }
        Path archive = build.jar.resolveSibling("vigil-cds.jsa");
        if (Files.exists(archive)) {
            args.add("-XX:SharedArchiveFile=" + archive);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        RouteBenchmark.Started app = RouteBenchmark.Started.launch(build.jar, work, http, args);
        try {
            URI metrics = URI.create(app.management() + "/q/metrics");
            List<Round> out = new ArrayList<>();
            long deadline = System.nanoTime() + RUN_BOUND.toNanos();
            long next = WARM_UP;
            Map<String, Long> threadsBefore = null;
            long appCpuBefore = 0;
            long brokerBefore = 0;
            long before = 0;
            for (int round = -1; round < ROUNDS;) {
                if (scored(http, metrics) >= next) {
                    long now = System.nanoTime();
                    Map<String, Long> threads = threadTicks(app.process().pid());
                    long appCpu = cpuNanos(app.process());
                    long brokerCpu = cpuNanos(broker.process);
                    if (round >= 0) {
                        Map<String, Double> cpu = new HashMap<>();
                        Map<String, Long> earlier = threadsBefore;
                        threads.forEach((g, t) -> cpu.put(g, (t - earlier.getOrDefault(g, 0L)) * 1e4 / POINTS));
                        // The process's own total counts threads that ended during the round too.
                        double named = cpu.entrySet().stream().filter(e -> !e.getKey().equals("other"))
                                .mapToDouble(Map.Entry::getValue).sum();
                        cpu.put("other", (appCpu - appCpuBefore) / 1e3 / POINTS - named);
                        out.add(new Round(build, sink, pair, POINTS / ((now - before) / 1e9), cpu,
                                (brokerCpu - brokerBefore) / 1e3 / POINTS));
                        System.out.printf(Locale.ROOT, "kafka: %s, %s sink, pair %d, round %d: %.0f points/s %s%n",
                                build.label, sink, pair, round, out.get(out.size() - 1).rate, cpu);
                    }
                    threadsBefore = threads;
                    appCpuBefore = appCpu;
                    brokerBefore = brokerCpu;
                    before = now;
                    next += POINTS;
                    round++;
                    continue;
                }
                if (System.nanoTime() > deadline || !app.process().isAlive()) {
                    throw new IllegalStateException(build.label + ", " + sink + " sink: " + scored(http, metrics)
                            + " points scored of " + next + " within " + RUN_BOUND + " (see " + work + "/app.log)");
                }
                Thread.sleep(20);
            }
            return out;
        } finally {
            app.stop();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap))) {
                admin.deleteTopics(List.of(topic, topic + "-results")).all().get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Produces points 0 to n - 1; a send the broker did not take is sent again (so every point is there once). */
    private static void produce(String bootstrap, String topic, int n) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", "5");
        p.put("batch.size", "262144");
        List<Integer> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            points.add(i);
        }
        try (Producer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int attempt = 1; !points.isEmpty(); attempt++) {
                if (attempt > 5) {
                    throw new IllegalStateException(points.size() + " points not produced after 5 attempts");
                }
                Queue<Integer> failed = new ConcurrentLinkedQueue<>();
                for (int i : points) {
                    int key = i % KEYS;
                    double value = 50 + key % 7 + 3 * new SplittableRandom(i).nextGaussian();
                    producer.send(new ProducerRecord<>(topic, "host-" + key, "{\"id\":\"m" + i + "\",\"value\":"
                            + value + "}"), (metadata, e) -> {
                                if (e != null) {
                                    failed.add(i);
                                }
                            });
                }
                producer.flush();
                points = new ArrayList<>(failed);
                if (!points.isEmpty()) {
                    System.out.printf(Locale.ROOT, "kafka: %d points not taken by the broker, sent again%n",
                            points.size());
                }
            }
        }
    }

    private static long cpuNanos(Process process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElseThrow(() -> new IllegalStateException(
                "a process's CPU time is not available on this system"));
    }

    /** The application's {@code vigil_points_scored_total}, summed over its labels; -1 while it does not answer. */
    private static long scored(HttpClient http, URI metrics) throws InterruptedException {
        try {
            String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return (long) SoakBenchmark.sum(body, "vigil_points_scored_total");
        } catch (IOException e) {
            return -1;
        }
    }

    /** CPU clock ticks (10 ms) of a process's threads, by group, from {@code /proc/<pid>/task}. */
    private static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.merge(group(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
            }
        }
        return ticks;
    }

    /** A thread's group by its name as {@code /proc} has it: the first 15 characters. */
    private static String group(String thread) {
        if (thread.startsWith("Camel")) {
            return "consumers"; // Camel's threads: the Kafka consumers, and the file watchers, nearly idle
        } else if (thread.startsWith("vigil-scoring")) {
            return "scoring";
        } else if (thread.startsWith("kafka-producer")) {
            return "producer I/O";
        } else if (thread.contains("C1 Compiler") || thread.contains("C2 Compiler")) {
            return "JIT";
        } else if (thread.startsWith("GC") || thread.startsWith("G1")) {
            return "GC";
        }
        return "other";
    }

    private static String report(List<Build> builds, List<Round> rounds) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Measured %s with `mvn -B -Pbench verify -Dbench.args=kafka` on %s. A"
                + " standalone Kafka broker (KRaft, its own JVM, loopback, 4 partitions) holds %,d + %d x %,d"
                + " one-feature points over %,d keys before the jar starts; the jar (default settings, two consumer"
                + " threads) drains them: the first %,d warm the JIT, then each round is timed from"
                + " the scored-points counter. Files: the default file sinks; Kafka: every result to a topic, one"
                + " record per result. CPU in µs a point, by the application's thread groups and for the broker's"
                + " process; %d pairs, builds alternated.%n%n", LocalDate.now(), BenchmarkReport.Machine.describe(),
                WARM_UP, ROUNDS, POINTS, KEYS, WARM_UP, PAIRS));
        md.append("| build | sinks | pair | points/s | Camel (consumers) | scoring | JIT | GC | other | broker |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Round r : rounds) {
            double other = r.cpu.getOrDefault("other", 0.0) + r.cpu.getOrDefault("producer I/O", 0.0);
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                    r.build.label, r.sink, r.pair, r.rate, r.cpu.getOrDefault("consumers", 0.0),
                    r.cpu.getOrDefault("scoring", 0.0), r.cpu.getOrDefault("JIT", 0.0), r.cpu.getOrDefault("GC", 0.0),
                    other, r.broker));
        }
        md.append('\n');
        for (String sink : List.of("files", "kafka")) {
            for (Build b : builds) {
                double[] rates = rounds.stream().filter(r -> r.build == b && r.sink.equals(sink))
                        .mapToDouble(Round::rate).sorted().toArray();
                md.append(String.format(Locale.ROOT, "- %s, %s sinks: median %,.0f points/s (%,.0f to %,.0f) over %d"
                        + " rounds.%n", b.label, sink, rates[rates.length / 2], rates[0], rates[rates.length - 1],
                        rates.length));
            }
        }
        return md.toString();
    }

    /** The standalone broker: its process, its bootstrap address. Closing stops it. */
    private static final class Broker implements AutoCloseable {
        private final Process process;
        private final String bootstrap;

        private Broker(Process process, String bootstrap) {
            this.process = process;
            this.bootstrap = bootstrap;
        }

        static Broker start(Path dir) throws Exception {
            Files.createDirectories(dir);
            int port;
            int controller;
            try (ServerSocket s = new ServerSocket(0); ServerSocket c = new ServerSocket(0)) {
                port = s.getLocalPort();
                controller = c.getLocalPort();
            }
            String bootstrap = "127.0.0.1:" + port;
            Path config = dir.resolve("server.properties");
            Files.write(config, List.of("process.roles=broker,controller", "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
                    "listeners=PLAINTEXT://" + bootstrap + ",CONTROLLER://127.0.0.1:" + controller,
                    "advertised.listeners=PLAINTEXT://" + bootstrap + ",CONTROLLER://127.0.0.1:" + controller,
                    "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"), "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1", "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0"));
            String classpath = System.getProperty("java.class.path");
            Process format = new ProcessBuilder("java", "-cp", classpath, "kafka.tools.StorageTool", "format", "-t",
                    Uuid.randomUuid().toString(), "-c", config.toString(), "--standalone").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("format.log").toFile()).start();
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting the broker's storage failed: " + dir.resolve("format.log"));
            }
            Process process = new ProcessBuilder(Arrays.asList("java", "-Xmx512m", "-cp", classpath, "kafka.Kafka",
                    config.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("kafka.log").toFile())
                    .start();
            Broker broker = new Broker(process, bootstrap);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.describeCluster().nodes().get(120, TimeUnit.SECONDS);
            } catch (Exception e) {
                broker.close();
                throw new IllegalStateException("the standalone broker did not start: " + dir.resolve("kafka.log"), e);
            }
            return broker;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
