package io.sensorcast.cli;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.CsvReadings;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.connectors.serde.JsonFormats;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.job.RetrainJob;
import io.sensorcast.pipeline.retrain.BiLstmTrainer;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast demo}: the whole product on one machine. An embedded KRaft broker, ForecastJob
 * and the periodic RetrainJob on Flink MiniClusters in this JVM, real NAB series replayed at an
 * accelerated event-time speed, and a report at the end.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run everything on this machine: an embedded Kafka broker (KRaft), ForecastJob and the"
                    + " periodic RetrainJob (Flink MiniClusters in this JVM). Bundled NAB series are"
                    + " replayed as sensors at an accelerated event-time speed; the first models"
                    + " are trained online, forecasts and anomalies stream, and the run ends with a"
                    + " self-contained report (report/index.html). Ctrl-C stops early and still"
                    + " writes the report."
        })
final class DemoCommand implements Callable<Integer> {

    private static final String[] DEFAULT_FILES = {
        "realKnownCause/machine_temperature_system_failure.csv",
        "realKnownCause/cpu_utilization_asg_misconfiguration.csv",
        "realKnownCause/ec2_request_latency_system_failure.csv",
    };

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--csv",
            arity = "1..*",
            paramLabel = "FILE",
            description = "Series to replay, one sensor each (default: three NAB realKnownCause).")
    List<Path> files;

    @Option(
            names = "--duration",
            defaultValue = "4min",
            description =
                    "Wall time of the replay, not counting the wait for the first models"
                            + " (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(
            names = "--speed",
            paramLabel = "Nx",
            description =
                    "Event-time speed, e.g. 20000x (default: the longest series in --duration).")
    String speed;

    @Option(
            names = "--retrain-every",
            defaultValue = "20s",
            description = "Wall time between retraining rounds (default: ${DEFAULT-VALUE}).")
    String retrainEvery;

    @Option(
            names = "--report",
            defaultValue = "report",
            paramLabel = "DIR",
            description = "Where index.html goes (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(
            names = "--wait-limit",
            defaultValue = "5min",
            description =
                    "Longest wait for the first models, and after the replay for the last"
                            + " forecasts (default: ${DEFAULT-VALUE}).")
    String waitLimitOption;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "ForecastJob subtasks (default: one per core).")
    Integer parallelism;

    @Option(
            names = "--metrics-port",
            defaultValue = "9249-9269",
            paramLabel = "PORT[-PORT]",
            description =
                    "Serve the jobs' metrics for Prometheus on the first free port of this range,"
                            + " 0 for none (default: ${DEFAULT-VALUE}).")
    String metricsPort;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong eventTime = new AtomicLong();
    private final Map<String, List<ScoreRecord>> scores = new ConcurrentHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final List<RetrainReport> retrains = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong forecasts = new AtomicLong();
    private final Map<TopicPartition, Long> collected = new ConcurrentHashMap<>();
    private volatile String bootstrap;
    private final AtomicLong anomalies = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong late = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkPortRange("--metrics-port", metricsPort);
        Duration wall = JobOptions.parseDuration("--duration", duration);
        Duration every = JobOptions.parseDuration("--retrain-every", retrainEvery);
        Duration waitLimit = JobOptions.parseDuration("--wait-limit", waitLimitOption);
        Path data = Defaults.dataDir();
        List<Path> csvs = files;
        if (csvs == null) {
            csvs = new ArrayList<>();
            for (String f : DEFAULT_FILES) {
                csvs.add(data.resolve("nab/data").resolve(f));
            }
        }
        // Sensors of a fleet report at the same time: every series is moved to start together.
        List<List<SensorReading>> series = new ArrayList<>();
        Map<String, List<DemoReport.Span>> windows = new TreeMap<>();
        Map<String, List<NabScorer.Window>> labels = labels(data);
        long start = Long.MAX_VALUE;
        for (Path csv : csvs) {
            start = Math.min(start, CsvReadings.read(csv, "x").get(0).timestamp);
        }
        long span = 0;
        for (Path csv : csvs) {
            String sensor = CsvReadings.sensorFromFilename(csv);
            List<SensorReading> rows = CsvReadings.read(csv, sensor);
            long shift = start - rows.get(0).timestamp;
            List<SensorReading> moved = new ArrayList<>(rows.size());
            for (SensorReading r : rows) {
                moved.add(SensorReading.of(sensor, r.timestamp + shift, r.values[0]));
            }
            series.add(moved);
            span = Math.max(span, moved.get(moved.size() - 1).timestamp - start);
            String key = csv.getParent().getFileName() + "/" + csv.getFileName();
            List<DemoReport.Span> spans = new ArrayList<>();
            for (NabScorer.Window w : labels.getOrDefault(key, List.of())) {
                spans.add(
                        new DemoReport.Span(
                                w.start().toInstant(ZoneOffset.UTC).toEpochMilli() + shift,
                                w.end().toInstant(ZoneOffset.UTC).toEpochMilli() + shift));
            }
            windows.put(sensor, spans);
        }
        List<SensorReading> readings = CsvReadings.merge(series);
        Pacing pace =
                speed != null
                        ? Pacing.parse(speed)
                        : new Pacing.Speed(Math.max(1, span / (double) wall.toMillis()));
        Path models = Files.createTempDirectory("sensorcast-demo-models");

        CountDownLatch finished = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stop.set(true);
                                    main.interrupt();
                                    try {
                                        finished.await(90, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "demo-stop"));
        long began = System.nanoTime();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            out.printf(
                    Locale.ROOT,
                    "sensorcast demo: %d sensors, %d readings, %s of event time at %s;"
                            + " Kafka (KRaft) at %s; Ctrl-C stops early%n",
                    csvs.size(),
                    readings.size(),
                    Duration.ofMillis(span),
                    pace,
                    kafka.bootstrapServers());
            out.flush();
            Configuration config = config(kafka, models, every);
            bootstrap = kafka.bootstrapServers();
            Properties client = new Properties();
            client.setProperty("bootstrap.servers", bootstrap);
            new Replayer(client).ensureTopic("sensorcast.readings", 2);

            int p = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
            Configuration flink = new Configuration();
            flink.set(CoreOptions.DEFAULT_PARALLELISM, p);
            JobOptions.localCheckpoints(flink, models.resolve("checkpoints"));
            if (!metricsPort.equals("0")) {
                flink.setString(
                        "metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
                flink.setString("metrics.reporter.prom.port", metricsPort);
                out.printf(
                        "metrics for Prometheus on http://localhost:%s/ (the first free port)%n",
                        metricsPort);
            }
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.enableCheckpointing(2000);
            ForecastJob.fromKafka(env, config, false);
            JobClient forecastJob = env.executeAsync("sensorcast-forecast");

            Thread collector = new Thread(() -> collect(kafka.bootstrapServers()), "demo-collect");
            collector.setDaemon(true);
            collector.start();
            Configuration retrainFlink = new Configuration();
            retrainFlink.set(CoreOptions.DEFAULT_PARALLELISM, 1);
            Thread retrain =
                    new Thread(
                            () -> {
                                try {
                                    RetrainJob.run(
                                            config,
                                            retrainFlink,
                                            new BiLstmTrainer(),
                                            rounds -> stop.get());
                                } catch (Exception e) {
                                    if (!stop.get()) {
                                        err.println("retraining stopped: " + e);
                                    }
                                }
                            },
                            "demo-retrain");
            retrain.setDaemon(true);
            retrain.start();
            // Phase one: enough readings for the first models; the replay waits for them, so
            // the rest of the series is forecast however fast this machine trains.
            int warmup = warmupEnd(readings, FIRST_MODEL_READINGS);
            Thread replay =
                    new Thread(() -> replay(readings, warmup, pace, waitLimit, out), "demo-replay");
            replay.setDaemon(true);
            replay.start();
            try {
                while (!stop.get() && replay.isAlive()) {
                    progress(err, readings.size(), began);
                    Thread.sleep(1000);
                }
                // Drain: until the job has checkpointed every reading and its outputs are read.
                long drainUntil = System.nanoTime() + waitLimit.toNanos();
                try (Admin admin = Admin.create(client)) {
                    while (!stop.get() && !caughtUp(admin) && System.nanoTime() < drainUntil) {
                        progress(err, readings.size(), began);
                        Thread.sleep(500);
                    }
                }
            } catch (InterruptedException e) {
                // Ctrl-C
            }
            stop.set(true);
            err.println();
            out.println("stopping: replay, forecast job, retraining ...");
            out.flush();
            replay.interrupt();
            forecastJob.cancel().get(60, TimeUnit.SECONDS);
            retrain.join(120_000);
            Path file =
                    DemoReport.write(
                            report, sortedScores(), windows, summary(began, readings.size()));
            out.printf(
                    Locale.ROOT,
                    "%d forecasts, %d anomalies, %d retraining decisions; report: %s%n",
                    forecasts.get(),
                    anomalies.get(),
                    retrains.size(),
                    file.toAbsolutePath());
            out.flush();
        } finally {
            TempDirs.deleteQuietly(models);
            finished.countDown();
        }
        return 0;
    }

    private static final String GROUP_ID = "sensorcast-demo-forecast";
    private static final List<String> OUTPUT_TOPICS =
            List.of(
                    "sensorcast.forecasts",
                    "sensorcast.scores",
                    "sensorcast.dead-letter",
                    "sensorcast.late",
                    "sensorcast.retrain-reports");

    /** Readings each sensor needs before the first models can be trained (min plus margin). */
    private static final int FIRST_MODEL_READINGS = 600;

    /** Replays the warm-up, waits for a decision on every sensor's model, replays the rest. */
    private void replay(
            List<SensorReading> readings,
            int warmup,
            Pacing pace,
            Duration waitLimit,
            PrintWriter out) {
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", bootstrap);
        Replayer replayer = new Replayer(client);
        Replayer.Progress progress =
                (n, total, t) -> {
                    sent.set(n);
                    eventTime.set(t);
                };
        try {
            replayer.replay(readings.subList(0, warmup), "sensorcast.readings", pace, progress);
            Set<String> sensors = new HashSet<>();
            readings.forEach(r -> sensors.add(r.sensor));
            long until = System.nanoTime() + waitLimit.toNanos();
            while (!stop.get() && !decided(sensors) && System.nanoTime() < until) {
                Thread.sleep(250);
            }
            long done = warmup;
            replayer.replay(
                    readings.subList(warmup, readings.size()),
                    "sensorcast.readings",
                    pace,
                    (n, total, t) -> progress.update(done + n, readings.size(), t));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stop.get()) {
                out.println("replay stopped: " + e);
            }
        }
    }

    /** The index after which every sensor has {@code perSensor} readings (or all it has). */
    static int warmupEnd(List<SensorReading> readings, int perSensor) {
        Map<String, Integer> total = new HashMap<>();
        for (SensorReading r : readings) {
            total.merge(r.sensor, 1, Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        int satisfied = 0;
        for (int i = 0; i < readings.size(); i++) {
            String sensor = readings.get(i).sensor;
            int n = seen.merge(sensor, 1, Integer::sum);
            if (n == Math.min(perSensor, total.get(sensor)) && ++satisfied == total.size()) {
                return i + 1;
            }
        }
        return readings.size();
    }

    /** Whether retraining has decided (promoted, rejected or failed) for every sensor. */
    private boolean decided(Set<String> sensors) {
        Set<String> groups = new HashSet<>();
        synchronized (retrains) {
            for (RetrainReport r : retrains) {
                if (!r.decision().equals(RetrainReport.SKIPPED)) {
                    groups.add(r.group());
                }
            }
        }
        return groups.containsAll(sensors);
    }

    /**
     * Whether the forecast job has read and checkpointed every replayed reading (its committed
     * source offsets are at the topic's end) and the collector has read every output committed so
     * far: then all that the replay produced is in the report.
     */
    private boolean caughtUp(Admin admin) {
        try {
            Map<TopicPartition, Long> readingsEnd =
                    endOffsets(
                            admin, List.of("sensorcast.readings"), IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP_ID).partitionsToOffsetAndMetadata().get();
            for (Map.Entry<TopicPartition, Long> e : readingsEnd.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                if (e.getValue() > 0 && (c == null || c.offset() < e.getValue())) {
                    return false;
                }
            }
            Map<TopicPartition, Long> outputsEnd =
                    endOffsets(admin, OUTPUT_TOPICS, IsolationLevel.READ_COMMITTED);
            for (Map.Entry<TopicPartition, Long> e : outputsEnd.entrySet()) {
                if (collected.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (ExecutionException e) {
            return false; // a topic not created yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(
            Admin admin, List<String> topics, IsolationLevel isolation)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(isolation))
                .all()
                .get()
                .forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    private Configuration config(EmbeddedKafkaBroker kafka, Path models, Duration every) {
        Configuration c = new Configuration();
        c.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        c.set(KafkaOptions.STARTING_OFFSETS, "earliest");
        c.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "demo");
        c.set(KafkaOptions.GROUP_ID, GROUP_ID);
        c.set(ModelStoreOptions.ROOT, models.toString());
        c.set(ForecastOptions.WINDOW, 48);
        c.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ofMinutes(10));
        c.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(2));
        c.set(RetrainOptions.MODE, RetrainOptions.Mode.PERIODIC);
        c.set(RetrainOptions.INTERVAL, every);
        c.set(RetrainOptions.WINDOW, 48);
        c.set(RetrainOptions.EPOCHS, 3);
        c.set(RetrainOptions.MAX_READINGS, 3000);
        c.set(RetrainOptions.MIN_READINGS, 500);
        return c;
    }

    /** Reads the outputs back as a consumer would: read_committed. */
    private void collect(String servers) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", servers);
        props.setProperty("group.id", "sensorcast-demo");
        props.setProperty("auto.offset.reset", "earliest");
        props.setProperty("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(OUTPUT_TOPICS);
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    take(r);
                }
                for (TopicPartition tp : consumer.assignment()) {
                    collected.put(tp, consumer.position(tp));
                }
            }
        } catch (RuntimeException e) {
            // the broker went away at the end of the demo
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        try {
            switch (r.topic()) {
                case "sensorcast.forecasts" -> {
                    ForecastRecord f =
                            JsonFormats.mapper().readValue(r.value(), ForecastRecord.class);
                    forecasts.incrementAndGet();
                    latencies.add((long) f.latencyMs());
                }
                case "sensorcast.scores" -> {
                    ScoreRecord s = JsonFormats.mapper().readValue(r.value(), ScoreRecord.class);
                    scores.computeIfAbsent(
                                    s.sensor(),
                                    k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(s);
                    if (s.isAnomaly()) {
                        anomalies.incrementAndGet();
                    }
                }
                case "sensorcast.dead-letter" -> deadLetters.incrementAndGet();
                case "sensorcast.late" -> late.incrementAndGet();
                case "sensorcast.retrain-reports" ->
                        retrains.add(
                                JsonFormats.mapper().readValue(r.value(), RetrainReport.class));
                default -> {}
            }
        } catch (IOException e) {
            deadLetters.incrementAndGet();
        }
    }

    private void progress(PrintWriter err, int total, long began) {
        long promoted;
        synchronized (retrains) {
            promoted = retrains.stream().filter(r -> r.decision().equals("PROMOTED")).count();
        }
        err.printf(
                Locale.ROOT,
                "\r[%3ds] replay %3d%% (%s) | models promoted %d | forecasts %d | anomalies %d"
                        + " | dead letters %d   ",
                (System.nanoTime() - began) / 1_000_000_000L,
                total == 0 ? 100 : 100 * sent.get() / total,
                eventTime.get() == 0 ? "-" : Instant.ofEpochMilli(eventTime.get()).toString(),
                promoted,
                forecasts.get(),
                anomalies.get(),
                deadLetters.get());
        err.flush();
    }

    private Map<String, List<ScoreRecord>> sortedScores() {
        Map<String, List<ScoreRecord>> sorted = new TreeMap<>();
        scores.forEach(
                (sensor, rows) -> {
                    List<ScoreRecord> copy;
                    synchronized (rows) {
                        copy = new ArrayList<>(rows);
                    }
                    copy.sort(Comparator.comparing(s -> Instant.parse(s.targetTs())));
                    sorted.put(sensor, copy);
                });
        return sorted;
    }

    private DemoReport.Summary summary(long began, int readings) {
        long[] l;
        synchronized (latencies) {
            l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        List<RetrainReport> decisions;
        synchronized (retrains) {
            decisions = new ArrayList<>(retrains);
        }
        return new DemoReport.Summary(
                Math.min(readings, sent.get()),
                forecasts.get(),
                anomalies.get(),
                deadLetters.get(),
                late.get(),
                (System.nanoTime() - began) / 1e9,
                l.length == 0 ? 0 : l[l.length / 2],
                l.length == 0 ? 0 : l[Math.min(l.length - 1, (int) (l.length * 0.99))],
                decisions);
    }

    private static Map<String, List<NabScorer.Window>> labels(Path data) throws IOException {
        Path file = data.resolve("nab/labels/combined_windows.json");
        return Files.exists(file) ? NabCorpus.windows(file) : Map.of();
    }

    /**
     * {@code 0}, a port, or a range {@code from-to} of ports in [1, 65535]; else fails naming it.
     */
    static void checkPortRange(String name, String value) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?").matcher(value.trim());
        boolean ok = m.matches();
        if (ok && !value.trim().equals("0")) {
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            ok = from >= 1 && to <= 65535 && from <= to;
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    name
                            + " must be 0 (none), a port or a range like 9249-9269 of ports in"
                            + " [1, 65535], got '"
                            + value
                            + "'");
        }
    }
}
