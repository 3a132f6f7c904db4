package io.sensorcast.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** On a broker that does not create topics on first use, as most production ones. */
class KafkaTopicsITCase {

    @Test
    void missingTopicsAreNamedThenCreatedWithTheirLayout() throws Exception {
        try (EmbeddedKafkaBroker kafka =
                EmbeddedKafkaBroker.start(0, null, Map.of("auto.create.topics.enable", "false"))) {
            Configuration config = new Configuration();
            config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            config.set(KafkaOptions.FORECASTS_TOPIC, "plant.forecasts");
            List<KafkaTopics.Spec> layout = KafkaTopics.layout(3, Duration.ofDays(2));

            assertThatThrownBy(
                            () ->
                                    KafkaTopics.requireExisting(
                                            config,
                                            List.of(
                                                    KafkaOptions.READINGS_TOPIC,
                                                    KafkaOptions.FORECASTS_TOPIC)))
                    .hasMessageContaining("Kafka topic(s) missing on " + kafka.bootstrapServers())
                    .hasMessageContaining(
                            "sensorcast.readings (sensorcast.kafka.topic.readings), plant.forecasts"
                                    + " (sensorcast.kafka.topic.forecasts)")
                    .hasMessageContaining("sensorcast topics create");
            assertThat(KafkaTopics.createOrVerify(config, layout, (short) -1, false))
                    .hasSize(8)
                    .allSatisfy(s -> assertThat(s.state()).isEqualTo("missing"));

            List<KafkaTopics.Status> created =
                    KafkaTopics.createOrVerify(config, layout, (short) -1, true);
            assertThat(created).allSatisfy(s -> assertThat(s.state()).isEqualTo("created"));
            assertThat(created)
                    .filteredOn(s -> s.topic().equals("plant.forecasts"))
                    .singleElement()
                    .satisfies(s -> assertThat(s.partitions()).isEqualTo(3));
            assertThat(created)
                    .filteredOn(s -> s.topic().equals("sensorcast.model-updates"))
                    .singleElement()
                    .satisfies(
                            s -> {
                                assertThat(s.partitions()).isEqualTo(1);
                                assertThat(s.cleanupPolicy()).isEqualTo("compact");
                            });
            assertThat(KafkaTopics.createOrVerify(config, layout, (short) -1, false))
                    .allSatisfy(s -> assertThat(s.state()).isEqualTo("exists"));
            KafkaTopics.requireExisting(
                    config, List.of(KafkaOptions.READINGS_TOPIC, KafkaOptions.FORECASTS_TOPIC));
        }
    }
}
