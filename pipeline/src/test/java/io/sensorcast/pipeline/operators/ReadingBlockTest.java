package io.sensorcast.pipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ReadingBlockTest {

    /**
     * A block is written as its counts, then its times and values; reading it back, or copying it
     * as bytes (into a buffer that must grow), keeps it.
     */
    @Test
    void writesCountsTimesAndValuesAndReadsThemBack() throws Exception {
        ReadingBlock block = new ReadingBlock(ReadingRing.BLOCK, 3);
        for (int i = 0; i < block.timestamps.length; i++) {
            block.timestamps[i] = 1_700_000_000_000L + i * 300_000L;
        }
        for (int i = 0; i < block.values.length; i++) {
            block.values[i] = i % 7 == 0 ? Double.NaN : Math.sin(i) * 1e6;
        }
        DataOutputSerializer written = new DataOutputSerializer(64);
        ReadingBlock.Serializer.INSTANCE.serialize(block, written);

        DataOutputSerializer expected = new DataOutputSerializer(64);
        expected.writeInt(block.timestamps.length);
        expected.writeInt(block.values.length);
        for (long t : block.timestamps) {
            expected.writeLong(t);
        }
        for (double v : block.values) {
            expected.writeDouble(v);
        }
        assertThat(written.getCopyOfBuffer()).isEqualTo(expected.getCopyOfBuffer());

        ReadingBlock read =
                ReadingBlock.Serializer.INSTANCE.deserialize(
                        new DataInputDeserializer(written.getCopyOfBuffer()));
        assertThat(read.timestamps).containsExactly(block.timestamps);
        assertThat(read.values).containsExactly(block.values);
        assertThat(read.isShared()).isFalse();

        DataOutputSerializer copied = new DataOutputSerializer(64);
        ReadingBlock.Serializer.INSTANCE.copy(
                new DataInputDeserializer(written.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(written.getCopyOfBuffer());
    }
}
