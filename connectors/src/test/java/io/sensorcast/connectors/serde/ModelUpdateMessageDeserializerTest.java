package io.sensorcast.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.connectors.format.ModelUpdate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ModelUpdateMessageDeserializerTest {

    private static List<String> deserialize(byte[] value) {
        List<String> out = new ArrayList<>();
        new ModelUpdateMessageDeserializer()
                .deserialize(
                        new ConsumerRecord<>(
                                "sensorcast.model-updates", 0, 7, new byte[] {1}, value),
                        new Collector<>() {
                            @Override
                            public void collect(String record) {
                                out.add(record);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    @Test
    void turnsATombstoneIntoAnEmptyMessageInsteadOfThrowing() {
        assertThat(deserialize(null)).containsExactly("");
        assertThat(deserialize("{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("{\"a\":1}");
    }

    @Test
    void emptyNullAndTruncatedMessagesAreNotModelUpdates() {
        assertThatThrownBy(() -> ModelUpdate.parse(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty model update (a tombstone?)");
        assertThatThrownBy(() -> ModelUpdate.parse("null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("malformed model update: JSON null");
        assertThatThrownBy(() -> ModelUpdate.parse("{\"group\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed model update:");
    }
}
