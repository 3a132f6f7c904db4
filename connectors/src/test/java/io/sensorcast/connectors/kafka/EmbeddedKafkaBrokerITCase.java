package io.sensorcast.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.testutils.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerITCase {

    @TempDir Path dir;

    /** A broker given a directory keeps its logs: a restart there serves what was written. */
    @Test
    void aRestartOnTheSameDirectoryAndPortKeepsTheRecords() throws Exception {
        int port;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(0, dir)) {
            port = URI.create("kafka://" + kafka.bootstrapServers()).getPort();
            kafka.createTopics(1, "kept");
            Properties p = new Properties();
            p.setProperty("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "before the restart")).get();
            }
        }
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(port, dir)) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            List<ConsumerRecord<byte[], byte[]>> read =
                    Topics.readCommitted(
                            kafka.bootstrapServers(), "kept", 1, Duration.ofSeconds(60));
            assertThat(read)
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("before the restart");
        }
    }
}
