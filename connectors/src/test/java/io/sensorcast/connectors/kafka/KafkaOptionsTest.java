package io.sensorcast.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class KafkaOptionsTest {

    @Test
    void defaultsAreValidAndUseTheDesignTopicNames() {
        Configuration config = new Configuration();
        KafkaOptions.validate(config);
        assertThat(config.get(KafkaOptions.READINGS_TOPIC)).isEqualTo("sensorcast.readings");
        assertThat(config.get(KafkaOptions.DEAD_LETTER_TOPIC)).isEqualTo("sensorcast.dead-letter");
        assertThat(config.get(KafkaOptions.MODEL_UPDATES_TOPIC))
                .isEqualTo("sensorcast.model-updates");
    }

    @Test
    void badValuesFailNamingTheKeyAndTheAllowedRange() {
        Configuration config = new Configuration();
        config.set(KafkaOptions.MAX_RECORD_BYTES, 0);
        assertThatThrownBy(() -> KafkaOptions.validate(config))
                .hasMessage(
                        "sensorcast.readings.max-record-bytes must be in [16, 104857600], got 0");

        Configuration offsets = new Configuration();
        offsets.set(KafkaOptions.STARTING_OFFSETS, "yesterday");
        assertThatThrownBy(() -> KafkaOptions.validate(offsets))
                .hasMessageStartingWith(
                        "sensorcast.kafka.starting-offsets must be one of earliest");

        Configuration servers = new Configuration();
        servers.set(KafkaOptions.BOOTSTRAP_SERVERS, "localhost");
        assertThatThrownBy(() -> KafkaOptions.validate(servers))
                .hasMessageStartingWith("sensorcast.kafka.bootstrap-servers must be host:port");

        Configuration topic = new Configuration();
        topic.set(KafkaOptions.SCORES_TOPIC, "bad topic");
        assertThatThrownBy(() -> KafkaOptions.validate(topic))
                .hasMessageStartingWith("sensorcast.kafka.topic.scores must be 1-249 characters");

        Configuration tx = new Configuration();
        tx.set(KafkaOptions.TRANSACTION_TIMEOUT, Duration.ofDays(2));
        assertThatThrownBy(() -> KafkaOptions.validate(tx))
                .hasMessageStartingWith(
                        "sensorcast.kafka.transaction-timeout must be in [1 s, 24 h]");

        Configuration features = new Configuration();
        features.set(KafkaOptions.MAX_FEATURES, 0);
        assertThatThrownBy(() -> KafkaOptions.validate(features))
                .hasMessage("sensorcast.readings.max-features must be in [1, 100000], got 0");
    }

    /**
     * The documented spelling (EXACTLY_ONCE, AT_LEAST_ONCE) parses as well as Flink's own: Flink's
     * enum conversion of this option took only "exactly-once" and failed on the README's values.
     */
    @Test
    void takesTheDeliveryGuaranteeInEitherSpellingAndNamesTheAllowedValuesOtherwise() {
        for (String v : new String[] {"AT_LEAST_ONCE", "at-least-once", "At_Least_Once "}) {
            Configuration config = new Configuration();
            config.setString(KafkaOptions.DELIVERY_GUARANTEE.key(), v);
            KafkaOptions.validate(config);
            assertThat(KafkaOptions.deliveryGuarantee(config))
                    .as(v)
                    .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        }
        for (String v : new String[] {"EXACTLY_ONCE", "exactly-once"}) {
            Configuration config = new Configuration();
            config.setString(KafkaOptions.DELIVERY_GUARANTEE.key(), v);
            assertThat(KafkaOptions.deliveryGuarantee(config))
                    .as(v)
                    .isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        }
        Configuration typed = new Configuration();
        typed.set(KafkaOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(KafkaOptions.deliveryGuarantee(typed))
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(KafkaOptions.deliveryGuarantee(new Configuration()))
                .isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);

        for (String v : new String[] {"NONE", "twice"}) {
            Configuration config = new Configuration();
            config.setString(KafkaOptions.DELIVERY_GUARANTEE.key(), v);
            assertThatThrownBy(() -> KafkaOptions.validate(config))
                    .hasMessage(
                            "sensorcast.kafka.delivery-guarantee must be EXACTLY_ONCE or"
                                    + " AT_LEAST_ONCE, got '"
                                    + v
                                    + "'");
        }
    }

    @Test
    void passesClientPropertiesThroughWithoutThePrefix() {
        Configuration config = new Configuration();
        config.setString("sensorcast.kafka.client.security.protocol", "SASL_SSL");
        config.setString("sensorcast.kafka.client.sasl.mechanism", "SCRAM-SHA-512");
        config.setString("sensorcast.kafka.group-id", "not-a-client-property");
        assertThat(KafkaOptions.clientProperties(config))
                .containsOnlyKeys("security.protocol", "sasl.mechanism")
                .containsEntry("security.protocol", "SASL_SSL");
    }
}
