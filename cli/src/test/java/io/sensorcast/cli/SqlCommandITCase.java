package io.sensorcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.testutils.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * many as the command says it wrote.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SqlCommandITCase {

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SensorcastCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void theExampleScriptWritesTheAlertsOfAReplayedNabFile() {
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
            int code =
                    run(
                            "sql",
                            "--file",
                            root.resolve("examples/sql/detect.sql").toString(),
                            "--bootstrap",
                            kafka.bootstrapServers(),
                            "--models",
                            dir.resolve("models").toString(),
                            "-p",
                            "2");
            assertThat(code).as(err.toString()).isZero();
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
        }
    }
}
