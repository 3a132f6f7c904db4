package io.sensorcast.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.kafka.KafkaOptions;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class KafkaSinksTest {

    @Test
    void exactlyOnceProducersBatchMoreAndLingerBecauseReadersWaitForTheCommitAnyway() {
        Properties props = KafkaSinks.producerProperties(new Configuration());
        assertThat(props)
                .containsEntry("batch.size", "262144")
                .containsEntry("linger.ms", "20")
                .containsEntry("transaction.timeout.ms", "900000");
    }

    @Test
    void atLeastOnceProducersKeepKafkasLinger() {
        Configuration config = new Configuration();
        config.set(KafkaOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.AT_LEAST_ONCE);
        Properties props = KafkaSinks.producerProperties(config);
        assertThat(props).containsEntry("batch.size", "262144").doesNotContainKey("linger.ms");
    }

    @Test
    void theClientOptionsComeFirst() {
        Configuration config = new Configuration();
        config.setString(KafkaOptions.CLIENT_PREFIX + "linger.ms", "0");
        config.setString(KafkaOptions.CLIENT_PREFIX + "batch.size", "16384");
        Properties props = KafkaSinks.producerProperties(config);
        assertThat(props).containsEntry("linger.ms", "0").containsEntry("batch.size", "16384");
    }
}
