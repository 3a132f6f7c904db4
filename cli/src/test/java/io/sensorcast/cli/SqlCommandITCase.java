package io.sensorcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.testutils.Topics;
import io.sensorcast.deploy.ClusterJars;
import io.sensorcast.deploy.FlinkRest;
import io.sensorcast.deploy.StandaloneCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code examples/sql/detect.sql}, run by {@code sensorcast sql} on its embedded
 * defaults after {@code sensorcast replay} of a NAB file: the alerts reach their Kafka topic, as
 * many as the command says it wrote. Then {@code sensorcast sql --gateway} runs the same script
 * through Flink's SQL Gateway on a standalone cluster of separate JVMs (deploy's jars): it writes
 * the same alerts.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SqlCommandITCase {

    /** An alert's reading time in its JSON. */
    private static final Pattern TS = Pattern.compile("\"ts\":\"([^\"]+)\"");

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SensorcastCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void theExampleScriptWritesTheAlertsOfAReplayedNabFileHereAndThroughTheSqlGateway()
            throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path csv =
                root.resolve("data/nab/data/realKnownCause/machine_temperature_system_failure.csv");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            assertThat(
                            run(
                                    "replay",
                                    "--csv",
                                    csv.toString(),
                                    "--bootstrap",
                                    kafka.bootstrapServers(),
                                    "--max"))
                    .as(err.toString())
                    .isZero();
            assertThat(runExample(root, kafka)).as(err.toString()).isZero();
            Matcher written =
                    Pattern.compile("job [0-9a-f]+: ([0-9]+) rows written").matcher(out.toString());
            assertThat(written.find()).as(out.toString()).isTrue();
            int alerts = Integer.parseInt(written.group(1));
            List<ConsumerRecord<byte[], byte[]>> records =
                    Topics.readCommitted(
                            kafka.bootstrapServers(),
                            "sensorcast.sql-alerts",
                            alerts + 1,
                            Duration.ofSeconds(5));
            assertThat(records).hasSize(alerts);
            assertThat(alerts).isPositive();
            assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8))
                    .contains("\"sensor\":\"machine_temperature_system_failure\"")
                    .contains("\"alert_score\":");

            // the same script through a SQL Gateway, to a standalone cluster of separate JVMs
            List<String> gatewayAlerts = throughGateway(root, kafka, alerts);
            assertThat(gatewayAlerts).hasSize(alerts);
            assertThat(new HashSet<>(gatewayAlerts)).isEqualTo(new HashSet<>(alertKeys(records)));
        }
    }

    /**
     * Runs {@code sensorcast sql --gateway} with the example script against a gateway in front of a
     * one-TaskManager standalone cluster; returns the alerts the job adds to the topic (after the
     * {@code before} already there).
     */
    private List<String> throughGateway(Path root, EmbeddedKafkaBroker kafka, int before)
            throws Exception {
        Path sql = root.resolve("sql/target");
        StandaloneCluster cluster =
                StandaloneCluster.create(
                        dir.resolve("cluster"),
                        ClusterJars.inBuild(root.resolve("deploy/target")),
                        Map.of(
                                "rest.port", Integer.toString(freePort()),
                                "jobmanager.rpc.port", Integer.toString(freePort())));
        try {
            cluster.startJobManager(Duration.ofMinutes(2));
            cluster.startTaskManager(Duration.ofMinutes(2));
            URI gateway = cluster.startSqlGateway(freePort(), Duration.ofMinutes(2));
            out.getBuffer().setLength(0);
            int code =
                    runExample(
                            root,
                            kafka,
                            "--gateway",
                            gateway.toString(),
                            "--jar",
                            sql.resolve("sensorcast-sql.jar").toString(),
                            "--jar",
                            sql.resolve("sql-lib/flink-connector-kafka.jar").toString(),
                            "--jar",
                            sql.resolve("sql-lib/kafka-clients.jar").toString());
            assertThat(code).as(err.toString()).isZero();
            Matcher job =
                    Pattern.compile("job ([0-9a-f]{32}): INSERT INTO alerts")
                            .matcher(out.toString());
            assertThat(job.find()).as(out.toString()).isTrue();
            String id = job.group(1);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            try (FlinkRest rest = cluster.rest()) {
                String state;
                while (!(state = rest.state(id)).equals("FINISHED")) {
                    assertThat(state).as("the gateway's job").isNotIn("FAILED", "CANCELED");
                    assertThat(System.nanoTime()).as("job finished in 3 min").isLessThan(deadline);
                    Thread.sleep(200);
                }
            }
        } finally {
            cluster.stop(Duration.ofSeconds(15));
        }
        List<ConsumerRecord<byte[], byte[]>> all =
                Topics.readCommitted(
                        kafka.bootstrapServers(),
                        "sensorcast.sql-alerts",
                        Integer.MAX_VALUE,
                        Duration.ofSeconds(5));
        return alertKeys(all.subList(before, all.size()));
    }

    /** {@code sensorcast sql} of the example script at parallelism 2, with {@code more} flags. */
    private int runExample(Path root, EmbeddedKafkaBroker kafka, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "sql",
                                "--file",
                                root.resolve("examples/sql/detect.sql").toString(),
                                "--bootstrap",
                                kafka.bootstrapServers(),
                                "--models",
                                dir.resolve("models").toString(),
                                "-p",
                                "2"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static List<String> alertKeys(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> keys = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            Matcher ts = TS.matcher(json);
            assertThat(ts.find()).as(json).isTrue();
            keys.add(ts.group(1));
        }
        return keys;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
