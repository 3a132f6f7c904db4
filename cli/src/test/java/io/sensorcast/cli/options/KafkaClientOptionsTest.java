package io.sensorcast.cli.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaClientOptionsTest {

    @TempDir Path dir;

    @Command(name = "probe")
    static final class Probe {
        @Mixin KafkaClientOptions kafka = new KafkaClientOptions();
    }

    private static KafkaClientOptions parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.kafka;
    }

    @Test
    void aPropertiesFileThenDashXReachEveryClientAndTheJobs() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("client.properties"),
                        "bootstrap.servers=broker-1:9093\n"
                                + "security.protocol=SASL_SSL\n"
                                + "sasl.mechanism=SCRAM-SHA-512\n"
                                + "sasl.jaas.config=org.apache.kafka.common.security.scram."
                                + "ScramLoginModule required username=\"u\" password=\"p\";\n");
        KafkaClientOptions kafka =
                parse("--kafka-config", file.toString(), "-X", "sasl.mechanism=PLAIN");

        Properties p = kafka.properties();
        assertThat(p.getProperty("bootstrap.servers")).isEqualTo("broker-1:9093");
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.mechanism")).isEqualTo("PLAIN"); // -X wins
        Configuration job = new Configuration();
        kafka.applyTo(job);
        assertThat(job.getString("sensorcast.kafka.bootstrap-servers", null))
                .isEqualTo("broker-1:9093");
        assertThat(job.getString("sensorcast.kafka.client.security.protocol", null))
                .isEqualTo("SASL_SSL");
        assertThat(job.getString("sensorcast.kafka.client.sasl.jaas.config", null))
                .contains("ScramLoginModule");

        assertThat(parse("--kafka-config", file.toString(), "--bootstrap", "b:1").bootstrap())
                .isEqualTo("b:1");
        assertThat(parse().bootstrap()).isEqualTo("localhost:9092");
        assertThatThrownBy(
                        () -> parse("--kafka-config", dir.resolve("nope").toString()).properties())
                .hasMessageStartingWith(
                        "--kafka-config " + dir.resolve("nope") + " cannot be read");
    }
}
