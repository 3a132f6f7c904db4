package io.sensorcast.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.connectors.serde.JsonFormats;
import io.sensorcast.connectors.testutils.Topics;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.engine.EngineSettings;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.RetrainJob;
import io.sensorcast.pipeline.testutils.ExactlyOnce;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.TestModels;
import io.sensorcast.sql.SqlScripts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job jar on a real standalone cluster (one JobManager and TaskManagers, each its own JVM, on
 * the jars of {@code deploy/target}) against an embedded broker: a TaskManager SIGKILLed mid-stream
 * and replaced loses and duplicates no forecast; a second job on the same TaskManager JVMs, stopped
 * with a savepoint and resumed, runs libtorch again without native-library errors; a retraining
 * round runs through Flink's CLI; the JobManager SIGKILLed under a third job, restarted, and the
 * job resubmitted from its retained checkpoint loses and duplicates no forecast either. Between the
 * second job and the retraining round, the shipped SQL script, submitted through Flink's SQL
 * Gateway, flags the readings the first job flagged. The third job's forecasts topic is set only in
 * the cluster's config.yaml.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StandaloneClusterITCase {

    private static final int WINDOW = 24;
    private static final int PARTITIONS = 2;
    private static final List<String[]> SENSORS =
            List.of(
                    new String[] {"realKnownCause", "ec2_request_latency_system_failure"},
                    new String[] {"artificialWithAnomaly", "art_daily_jumpsup"});
    private static final Duration START = Duration.ofSeconds(90);
    private static final double READINGS_PER_SECOND = 200;
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneClusterITCase.class);

    /** deploy/target: the jars under test, and the cluster's home (its logs stay for a look). */
    private static final Path TARGET = Path.of(System.getProperty("sensorcast.deploy.target"));

    @TempDir Path tmp;

    private StandaloneCluster cluster;
    private FlinkRest rest;

    @AfterEach
    void stopCluster() throws IOException {
        if (rest != null) {
            rest.close();
        }
        if (cluster != null) {
            cluster.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void survivesAKilledTaskManagerAndRunsASecondJobOnTheSameJvms() throws Exception {
        Path models = tmp.resolve("models");
        List<List<SensorReading>> series = new ArrayList<>();
        for (String[] s : SENSORS) {
            Path csv = TestModels.nab(s[0], s[1]);
            TestModels.trainOneStep(
                    csv, WINDOW, new TimeSplit(1500, 2000, 2500), 1, models.resolve(s[1] + "/1"));
            series.add(CsvReadings.read(csv, s[1]));
        }
        // one clock for all: a sensor whose partition runs ahead would hold back the watermark
        long start = series.get(0).get(0).timestamp;
        series.replaceAll(
                rows ->
                        rows.stream()
                                .map(
                                        r ->
                                                SensorReading.of(
                                                        r.sensor,
                                                        r.timestamp - rows.get(0).timestamp + start,
                                                        r.values[0]))
                                .toList());
        List<SensorReading> readings = CsvReadings.merge(series);
        Map<String, Set<String>> expected = ExactlyOnce.expectedTargets(readings, WINDOW);
        int total = expected.values().stream().mapToInt(Set::size).sum();

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Map<String, String> settings =
                    new java.util.HashMap<>(
                            Map.of(
                                    "rest.port", Integer.toString(freePort()),
                                    "jobmanager.rpc.port", Integer.toString(freePort()),
                                    "taskmanager.numberOfTaskSlots", "1",
                                    "heartbeat.interval", "1000",
                                    "heartbeat.timeout", "6000",
                                    "execution.checkpointing.interval", "1s",
                                    "restart-strategy.type", "fixed-delay",
                                    "restart-strategy.fixed-delay.attempts", "30",
                                    "restart-strategy.fixed-delay.delay", "1s",
                                    "env.java.opts.taskmanager",
                                            "-D"
                                                    + EngineSettings.CACHE_DIR_PROPERTY
                                                    + "="
                                                    + EngineSettings.defaults().cacheDir()));
            // a job option in the cluster's config.yaml: the third job names no forecasts topic,
            // the others override it with their arguments
            settings.put("sensorcast.kafka.topic.forecasts", "third.forecasts");
            cluster =
                    StandaloneCluster.create(clusterHome(), ClusterJars.inBuild(TARGET), settings);
            LOG.info("starting the cluster");
            cluster.startJobManager(START);
            cluster.startTaskManager("taskmanager-1", START);
            cluster.startTaskManager("taskmanager-2", START);
            rest = cluster.rest();
            String jar = rest.uploadJar(cluster.jars().jobJar());

            // 1. A TaskManager killed mid-stream, a replacement started: every forecast once.
            Replayer replayer = replayer(kafka);
            replayer.ensureTopic("sensorcast.readings", PARTITIONS);
            String first =
                    rest.runJar(
                            jar,
                            ForecastJob.class.getName(),
                            jobArgs(
                                    kafka,
                                    models,
                                    "first",
                                    "sensorcast.readings",
                                    "sensorcast.forecasts"),
                            2,
                            null);
            awaitRunning(rest, first, 2);
            LOG.info("first job {} running; replaying {} readings", first, readings.size());
            CompletableFuture<Void> replay =
                    CompletableFuture.runAsync(
                            () ->
                                    replayThenFlush(
                                            kafka, replayer, readings, "sensorcast.readings"));
            KafkaJobs.await(
                    "the first committed forecasts",
                    Duration.ofMinutes(2),
                    () -> committed(kafka, "sensorcast.forecasts", 50) >= 50);
            assertThat(replay)
                    .as("the replay is still going when the TaskManager dies")
                    .isNotDone();
            String victim = rest.taskManagersOf(first, "kafka-readings").get(0);
            cluster.kill(victim);
            LOG.info("killed {}", victim);
            cluster.startTaskManager("taskmanager-3", START);
            LOG.info("taskmanager-3 registered");
            replay.get(3, TimeUnit.MINUTES);
            LOG.info("replay done");

            List<ForecastRecord> forecasts = forecasts(kafka, "sensorcast.forecasts", total);
            ExactlyOnce.assertEveryForecastOnce(forecasts, expected);
            LOG.info("first job: {} forecasts, each once", forecasts.size());
            assertThat(rest.exceptions(first).path("exceptionHistory").path("entries"))
                    .as("the job failed over when %s died", victim)
                    .isNotEmpty();
            assertThat(rest.state(first)).isEqualTo("RUNNING");
            rest.cancel(first);
            KafkaJobs.await("cancelled", START, () -> rest.state(first).equals("CANCELED"));

            // 2. A second job on the JVMs where the first loaded libtorch, on RocksDB with
            // incremental checkpoints (job options over the cluster's hashmap), stopped with a
            // savepoint and resumed at parallelism 1: a new user-code classloader each time, DJL
            // parent-first, and every sensor's state in the one subtask left.
            replayer.ensureTopic("second.readings", PARTITIONS);
            List<String> args = new ArrayList<>();
            args.addAll(jobArgs(kafka, models, "second", "second.readings", "second.forecasts"));
            args.addAll(
                    List.of(
                            "--state.backend.type",
                            "rocksdb",
                            "--execution.checkpointing.incremental",
                            "true"));
            String second = rest.runJar(jar, ForecastJob.class.getName(), args, 2, null);
            awaitRunning(rest, second, 2);
            assertThat(rest.stateBackend(second)).isEqualTo("EmbeddedRocksDBStateBackend");
            int half = readings.size() / 2;
            replayer.replay(
                    readings.subList(0, half),
                    "second.readings",
                    new Pacing.Max(),
                    (a, b, c) -> {});
            KafkaJobs.await(
                    "forecasts of the second job",
                    Duration.ofMinutes(2),
                    () -> committed(kafka, "second.forecasts", 100) >= 100);
            String savepoint =
                    rest.stopWithSavepoint(
                            second,
                            tmp.resolve("savepoints").toUri().toString(),
                            Duration.ofMinutes(2));
            LOG.info("second job stopped with savepoint {}", savepoint);
            String resumed = rest.runJar(jar, ForecastJob.class.getName(), args, 1, savepoint);
            awaitRunning(rest, resumed, 1);
            assertThat(rest.stateBackend(resumed)).isEqualTo("EmbeddedRocksDBStateBackend");
            replayThenFlush(
                    kafka, replayer, readings.subList(half, readings.size()), "second.readings");

            ExactlyOnce.assertEveryForecastOnce(
                    forecasts(kafka, "second.forecasts", total), expected);
            assertThat(rest.state(resumed)).isEqualTo("RUNNING");
            rest.cancel(resumed);
            KafkaJobs.await("cancelled", START, () -> rest.state(resumed).equals("CANCELED"));

            // 2b. The shipped examples/sql/detect.sql through Flink's SQL Gateway, as a SQL user
            // submits it: the session adds sensorcast-sql.jar and the Kafka connector and client
            // (DJL from the cluster's lib/, as for the job jar); over the first job's readings and
            // models it flags what the first job flagged.
            Set<String> sqlAlerts = sqlAlerts(cluster, kafka, models);
            Set<String> jobAlerts = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    Topics.readCommitted(
                            kafka.bootstrapServers(),
                            "first.anomalies",
                            Integer.MAX_VALUE,
                            Duration.ofSeconds(5))) {
                ScoreRecord a = JsonFormats.mapper().readValue(r.value(), ScoreRecord.class);
                jobAlerts.add(a.sensor() + "@" + Instant.parse(a.targetTs()).toEpochMilli());
            }
            assertThat(jobAlerts).isNotEmpty();
            assertThat(sqlAlerts).isEqualTo(jobAlerts);
            LOG.info("SQL on the cluster: the {} alerts of the first job", sqlAlerts.size());

            // 3. A retraining round through Flink's own CLI (as the Kubernetes CronJob runs it),
            // training with libtorch in those JVMs' third and fourth job classloaders.
            Path out = tmp.resolve("flink-run.out");
            Process run =
                    cluster.flinkCli(
                            List.of(
                                    "run",
                                    "-p",
                                    "2",
                                    "-c",
                                    RetrainJob.class.getName(),
                                    cluster.jars().jobJar().toString(),
                                    "--sensorcast.retrain.mode",
                                    "once",
                                    "--sensorcast.kafka.bootstrap-servers",
                                    kafka.bootstrapServers(),
                                    "--sensorcast.kafka.transactional-id-prefix",
                                    "retrain",
                                    "--sensorcast.models.root",
                                    models.toString(),
                                    "--sensorcast.forecast.history",
                                    Integer.toString(WINDOW),
                                    "--sensorcast.retrain.window",
                                    Integer.toString(WINDOW),
                                    "--sensorcast.retrain.hidden-size",
                                    "8",
                                    "--sensorcast.retrain.epochs",
                                    "1",
                                    "--sensorcast.retrain.max-readings",
                                    "2000"),
                            out);
            assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("flink run returns").isTrue();
            assertThat(run.exitValue()).as(Files.readString(out)).isZero();
            assertThat(Files.readString(out)).contains("has finished");
            Set<String> retrained = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    Topics.readCommitted(
                            kafka.bootstrapServers(),
                            "sensorcast.retrain-reports",
                            SENSORS.size(),
                            Duration.ofSeconds(30))) {
                retrained.add(
                        JsonFormats.mapper().readValue(r.value(), RetrainReport.class).group());
            }
            assertThat(retrained).containsAll(expected.keySet());
            LOG.info("retraining round reported on {}", retrained);

            // 4. The JobManager SIGKILLed mid-stream. This cluster has no HA (Flink's HA services
            // are ZooKeeper and Kubernetes), so the job dies with it; a new JobManager and the job
            // resubmitted from its latest retained checkpoint lose and duplicate nothing.
            replayer.ensureTopic("third.readings", PARTITIONS);
            List<String> third =
                    withoutOption(
                            jobArgs(kafka, models, "third", "third.readings", "unused"),
                            "sensorcast.kafka.topic.forecasts");
            String doomed = rest.runJar(jar, ForecastJob.class.getName(), third, 2, null);
            awaitRunning(rest, doomed, 2);
            CompletableFuture<Void> replay3 =
                    CompletableFuture.runAsync(
                            () -> replayThenFlush(kafka, replayer, readings, "third.readings"));
            KafkaJobs.await(
                    "forecasts of the third job and a retained checkpoint",
                    Duration.ofMinutes(2),
                    () ->
                            committed(kafka, "third.forecasts", 50) >= 50
                                    && latestCheckpoint(doomed) != null);
            cluster.kill(StandaloneCluster.JOB_MANAGER);
            LOG.info("killed the JobManager");
            cluster.startJobManager(START);
            KafkaJobs.await(
                    "the TaskManagers back with the new JobManager",
                    START,
                    () -> cluster.rest().taskManagers().size() >= 2);
            String checkpoint = latestCheckpoint(doomed);
            LOG.info("resubmitting from {}", checkpoint);
            String jar2 = rest.uploadJar(cluster.jars().jobJar()); // the old upload died too
            String revived = rest.runJar(jar2, ForecastJob.class.getName(), third, 2, checkpoint);
            awaitRunning(rest, revived, 2);
            replay3.get(3, TimeUnit.MINUTES);
            ExactlyOnce.assertEveryForecastOnce(
                    forecasts(kafka, "third.forecasts", total), expected);
            LOG.info("third job: every forecast once across the JobManager's death");

            // 5. The cluster's Prometheus reporter: some member serves the job's metrics
            KafkaJobs.await(
                    "the forecast counter on a member's Prometheus endpoint (ports 9249-9269)",
                    Duration.ofMinutes(1),
                    () ->
                            prometheusExports(
                                    "flink_taskmanager_job_task_operator_sensorcast_forecasts"));

            for (StandaloneCluster.Member m : cluster.members()) {
                for (Path log : List.of(cluster.log(m.name()), cluster.out(m.name()))) {
                    if (Files.exists(log)) {
                        assertThat(Files.readString(log, StandardCharsets.UTF_8))
                                .as("%s", log.getFileName())
                                .doesNotContain("UnsatisfiedLinkError")
                                .doesNotContain("already loaded in another classloader");
                    }
                }
            }
        }
    }

    /** Whether a member's Prometheus endpoint on the cluster's port range exports {@code name}. */
    private static boolean prometheusExports(String name) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int port = 9249; port <= 9269; port++) {
            try {
                String body =
                        http.send(
                                        java.net.http.HttpRequest.newBuilder(
                                                        java.net.URI.create(
                                                                "http://localhost:" + port + "/"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        java.net.http.HttpResponse.BodyHandlers.ofString())
                                .body();
                if (body.contains(name)) {
                    return true;
                }
            } catch (IOException e) {
                // nothing on that port
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** {@code args} without the {@code --key value} pair of {@code key}. */
    private static List<String> withoutOption(List<String> args, String key) {
        List<String> out = new ArrayList<>(args);
        int i = out.indexOf("--" + key);
        out.remove(i + 1);
        out.remove(i);
        return out;
    }

    /** The newest completed checkpoint of {@code job} in the cluster's checkpoint directory. */
    private String latestCheckpoint(String job) {
        Path dir = cluster.home().resolve("checkpoints").resolve(job);
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> chks = Files.list(dir)) {
            return chks.filter(c -> c.getFileName().toString().startsWith("chk-"))
                    .filter(c -> Files.exists(c.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    c -> Long.parseLong(c.getFileName().toString().substring(4))))
                    .map(c -> c.toUri().toString())
                    .orElse(null);
        } catch (IOException e) {
            return null; // a checkpoint subsumed while listing: ask again
        }
    }

    private static List<String> jobArgs(
            EmbeddedKafkaBroker kafka, Path models, String name, String in, String out) {
        return List.of(
                "--sensorcast.kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "--sensorcast.kafka.starting-offsets",
                "earliest",
                "--sensorcast.kafka.group-id",
                name,
                "--sensorcast.kafka.transactional-id-prefix",
                name,
                "--sensorcast.kafka.topic.readings",
                in,
                "--sensorcast.kafka.topic.forecasts",
                out,
                "--sensorcast.kafka.topic.scores",
                name + ".scores",
                "--sensorcast.kafka.topic.anomalies",
                name + ".anomalies",
                "--sensorcast.forecast.history",
                Integer.toString(WINDOW),
                "--sensorcast.forecast.min-window", // complete windows only
                Integer.toString(WINDOW),
                "--sensorcast.forecast.out-of-orderness",
                "10 min",
                // the partition no sensor hashes to must not hold back the watermark for long
                "--sensorcast.forecast.source-idleness",
                "5 s",
                "--sensorcast.forecast.intra-op-threads",
                "1",
                "--sensorcast.models.root",
                models.toString());
    }

    private static Replayer replayer(EmbeddedKafkaBroker kafka) {
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", kafka.bootstrapServers());
        return new Replayer(client);
    }

    /**
     * Replays {@code readings} at {@value #READINGS_PER_SECOND} per second, then one reading a day
     * later into every partition (of a sensor without a model) so that the watermark passes the
     * last real one.
     */
    private static void replayThenFlush(
            EmbeddedKafkaBroker kafka,
            Replayer replayer,
            List<SensorReading> readings,
            String topic) {
        try {
            replayer.replay(readings, topic, new Pacing.Rate(READINGS_PER_SECOND), (a, b, c) -> {});
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long later = readings.get(readings.size() - 1).timestamp + Duration.ofDays(1).toMillis();
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                SensorReading flush = SensorReading.of("flush-" + partition, later, 0);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                partition,
                                later,
                                flush.sensor.getBytes(StandardCharsets.UTF_8),
                                JsonFormats.reading(flush)));
            }
        }
    }

    /**
     * Starts the SQL Gateway beside the cluster and runs {@code examples/sql/detect.sql} through
     * its REST API, in one session: {@code ADD JAR} of the sql module's jars, the function, then
     * the script's statements (its INSERT runs on the cluster until the bounded readings end);
     * returns the alerts it wrote as sensor@time. The script's only change is the options the first
     * job ran with (windows of {@link #WINDOW}, complete ones only).
     */
    private static Set<String> sqlAlerts(
            StandaloneCluster cluster, EmbeddedKafkaBroker kafka, Path models) throws Exception {
        Path root = TARGET.resolve("../..").normalize();
        Path sql = root.resolve("sql/target");
        String script =
                Files.readString(root.resolve("examples/sql/detect.sql"))
                        .replace(
                                "store => '${models}'",
                                "store => '${models}', options =>"
                                        + " 'sensorcast.forecast.history="
                                        + WINDOW
                                        + "; sensorcast.forecast.min-window="
                                        + WINDOW
                                        + "'");
        List<String> statements =
                new ArrayList<>(
                        SqlScripts.gatewaySetUp(
                                List.of(
                                        sql.resolve("sensorcast-sql.jar"),
                                        sql.resolve("sql-lib/flink-connector-kafka.jar"),
                                        sql.resolve("sql-lib/kafka-clients.jar"))));
        statements.addAll(
                SqlScripts.statements(
                        script,
                        Map.of(
                                "bootstrap",
                                kafka.bootstrapServers(),
                                "models",
                                models.toString())));

        SqlGatewayRest gateway = new SqlGatewayRest(cluster.startSqlGateway(freePort(), START));
        String session = gateway.openSession(Map.of());
        String job = null;
        for (String statement : statements) {
            List<SqlGatewayRest.Row> rows = gateway.execute(session, statement, START);
            if (statement.startsWith("INSERT")) {
                job = rows.get(0).fields().get(0).asText();
            }
        }
        gateway.closeSession(session);
        assertThat(job).as("the INSERT's job ID").isNotNull();
        FlinkRest rest = cluster.rest();
        String id = job;
        KafkaJobs.await(
                "SQL job " + id + " finished",
                Duration.ofMinutes(4),
                () -> {
                    String state = rest.state(id);
                    if (state.equals("FAILED")) {
                        throw new IllegalStateException(
                                "SQL job failed: " + rest.exceptions(id).path("root-exception"));
                    }
                    return state.equals("FINISHED");
                });
        Set<String> alerts = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r :
                Topics.readCommitted(
                        kafka.bootstrapServers(),
                        "sensorcast.sql-alerts",
                        Integer.MAX_VALUE,
                        Duration.ofSeconds(5))) {
            var row = JsonFormats.mapper().readTree(r.value());
            alerts.add(
                    row.path("sensor").asText()
                            + "@"
                            + Instant.parse(row.path("ts").asText()).toEpochMilli());
        }
        return alerts;
    }

    private static void awaitRunning(FlinkRest rest, String job, int parallelism)
            throws InterruptedException {
        KafkaJobs.await(
                "job " + job + " running",
                START,
                () -> rest.state(job).equals("RUNNING") && rest.runningTasks(job) >= parallelism);
    }

    private static int committed(EmbeddedKafkaBroker kafka, String topic, int atLeast) {
        return Topics.readCommitted(kafka.bootstrapServers(), topic, atLeast, Duration.ofSeconds(3))
                .size();
    }

    private static List<ForecastRecord> forecasts(
            EmbeddedKafkaBroker kafka, String topic, int total) {
        List<ForecastRecord> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                Topics.readCommitted(
                        kafka.bootstrapServers(), topic, total, Duration.ofMinutes(3))) {
            try {
                out.add(JsonFormats.mapper().readValue(r.value(), ForecastRecord.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static Path clusterHome() throws IOException {
        Path home = TARGET.resolve("it-cluster");
        if (Files.exists(home)) {
            try (Stream<Path> files = Files.walk(home)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        return home;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
