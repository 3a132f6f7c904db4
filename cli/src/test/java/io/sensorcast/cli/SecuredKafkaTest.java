package io.sensorcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.cli.options.KafkaClientOptions;
import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.testutils.Topics;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * replay, publish-model and ForecastJob reach a broker that authenticates with SASL/PLAIN through
 * one client properties file ({@code --kafka-config}), the way a SASL_SSL cluster is reached (the
 * same properties, with {@code security.protocol=SASL_SSL} and the truststore); a wrong password is
 * refused.
 */
class SecuredKafkaTest {

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SensorcastCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path clientProperties(String password) throws Exception {
        return Files.writeString(
                dir.resolve("client-" + password + ".properties"),
                "security.protocol=SASL_PLAINTEXT\n"
                        + "sasl.mechanism=PLAIN\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"sensorcast\" password=\""
                        + password
                        + "\";\n");
    }

    @Test
    void replayPublishModelAndForecastJobGoThroughASaslListener() throws Exception {
        Path csv =
                SensorcastCliTest.data(
                        "nab", "data", "realKnownCause", "ec2_request_latency_system_failure.csv");
        Path model = dir.resolve("model");
        assertThat(run(SensorcastCliTest.smallTraining(csv, "value", model)))
                .as(err.toString())
                .isZero();
        try (EmbeddedKafkaBroker kafka =
                EmbeddedKafkaBroker.startWithSaslPlain("sensorcast", "s3cret")) {
            String sasl = kafka.saslBootstrapServers();
            Path good = clientProperties("s3cret");

            assertThat(
                            run(
                                    "replay",
                                    "--csv",
                                    csv.toString(),
                                    "--bootstrap",
                                    sasl,
                                    "--kafka-config",
                                    good.toString(),
                                    "--partitions",
                                    "1"))
                    .as(err.toString())
                    .isZero();
            int readings =
                    Topics.readCommitted(
                                    kafka.bootstrapServers(),
                                    "sensorcast.readings",
                                    4032,
                                    Duration.ofSeconds(60))
                            .size();
            assertThat(readings).isEqualTo(4032);

            Path store = dir.resolve("store");
            assertThat(
                            run(
                                    "publish-model",
                                    "--model",
                                    model.toString(),
                                    "--group",
                                    "ec2_request_latency_system_failure",
                                    "--store",
                                    store.toString(),
                                    "--bootstrap",
                                    sasl,
                                    "--kafka-config",
                                    good.toString()))
                    .as(err.toString())
                    .isZero();
            var updates =
                    Topics.readCommitted(
                            kafka.bootstrapServers(),
                            "sensorcast.model-updates",
                            1,
                            Duration.ofSeconds(30));
            assertThat(updates).hasSize(1);
            assertThat(ModelUpdate.parse(updates.get(0).value()).version()).isEqualTo(1);

            // ForecastJob with the same file: every one of its clients authenticates
            KafkaClientOptions client = new KafkaClientOptions();
            client.bootstrap = sasl;
            client.configFile = good;
            Configuration config = new Configuration();
            client.applyTo(config);
            config.set(KafkaOptions.STARTING_OFFSETS, "earliest");
            config.set(ForecastOptions.HISTORY, 12);
            config.set(ForecastOptions.MIN_WINDOW, 12); // complete windows only
            config.set(ModelStoreOptions.ROOT, store.toString());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.enableCheckpointing(500);
            ForecastJob.fromKafka(env, config, true);
            env.execute("forecast-through-sasl");
            // one per distinct timestamp from the 12th on (the file repeats a few)
            int forecasts =
                    Topics.readCommitted(
                                    kafka.bootstrapServers(),
                                    "sensorcast.forecasts",
                                    4000,
                                    Duration.ofSeconds(60))
                            .size();
            assertThat(forecasts).isBetween(4000, 4032 - 12 + 1);

            // and the listener does authenticate: a wrong password is refused
            err.getBuffer().setLength(0);
            assertThat(
                            run(
                                    "topics",
                                    "check",
                                    "--bootstrap",
                                    sasl,
                                    "--kafka-config",
                                    clientProperties("wrong").toString()))
                    .isNotZero();
            assertThat(err.toString()).contains("Authentication failed");
        }
    }
}
