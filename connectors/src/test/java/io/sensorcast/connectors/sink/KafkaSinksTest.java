package io.sensorcast.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.sensorcast.connectors.format.Published.Topic;
import io.sensorcast.connectors.kafka.KafkaOptions;
import java.util.EnumSet;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class KafkaSinksTest {

    @Test
    void exactlyOnceProducersBatchMoreAndLingerBecauseReadersWaitForTheCommitAnyway() {
        Properties props =
                KafkaSinks.producerProperties(new Configuration(), DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(props)
                .containsEntry("batch.size", "262144")
                .containsEntry("linger.ms", "20")
                .containsEntry("transaction.timeout.ms", "900000");
    }

    @Test
    void atLeastOnceProducersKeepKafkasLinger() {
        Properties props =
                KafkaSinks.producerProperties(new Configuration(), DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(props).containsEntry("batch.size", "262144").doesNotContainKey("linger.ms");
    }

    @Test
    void theClientOptionsComeFirst() {
        Configuration config = new Configuration();
        config.setString(KafkaOptions.CLIENT_PREFIX + "linger.ms", "0");
        config.setString(KafkaOptions.CLIENT_PREFIX + "batch.size", "16384");
        Properties props = KafkaSinks.producerProperties(config, DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(props).containsEntry("linger.ms", "0").containsEntry("batch.size", "16384");
    }

    /**
     * By default anomalies go out at-least-once, readable when written, and everything else
     * exactly-once; each output's own option, or the sinks' common one, changes that.
     */
    @Test
    void anomaliesAreAtLeastOnceAndTheOtherOutputsExactlyOnceUnlessConfigured() {
        assertThat(KafkaSinks.outputsByGuarantee(new Configuration()))
                .containsExactly(
                        entry(
                                DeliveryGuarantee.EXACTLY_ONCE,
                                EnumSet.of(Topic.FORECASTS, Topic.SCORES, Topic.LATE)),
                        entry(DeliveryGuarantee.AT_LEAST_ONCE, EnumSet.of(Topic.ANOMALIES)));

        Configuration config = new Configuration();
        config.setString(KafkaOptions.ANOMALIES_DELIVERY.key(), "exactly-once");
        assertThat(KafkaSinks.outputsByGuarantee(config))
                .containsExactly(entry(DeliveryGuarantee.EXACTLY_ONCE, EnumSet.allOf(Topic.class)));

        config = new Configuration();
        config.set(KafkaOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.AT_LEAST_ONCE);
        config.setString(KafkaOptions.FORECASTS_DELIVERY.key(), "EXACTLY_ONCE");
        assertThat(KafkaSinks.outputsByGuarantee(config))
                .containsExactly(
                        entry(DeliveryGuarantee.EXACTLY_ONCE, EnumSet.of(Topic.FORECASTS)),
                        entry(
                                DeliveryGuarantee.AT_LEAST_ONCE,
                                EnumSet.of(Topic.SCORES, Topic.ANOMALIES, Topic.LATE)));
    }

    @Test
    void aBadOutputGuaranteeFailsNamingItsKey() {
        Configuration config = new Configuration();
        config.setString(KafkaOptions.SCORES_DELIVERY.key(), "maybe");
        assertThatThrownBy(() -> KafkaOptions.validate(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "sensorcast.kafka.delivery.scores must be EXACTLY_ONCE or AT_LEAST_ONCE,"
                                + " got 'maybe'");
    }
}
