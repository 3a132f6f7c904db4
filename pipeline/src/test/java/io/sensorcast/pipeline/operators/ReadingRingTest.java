package io.sensorcast.pipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.dataset.SeasonalChannels;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ReadingRingTest {

    private static final SeasonalChannels CHANNELS =
            new SeasonalChannels(List.of(Duration.ofMillis(100)), 290);

    @Test
    void growsAsReadingsArriveThenKeepsTheNewestCapacity() {
        ReadingRing ring = new ReadingRing(300, new String[] {"value"});
        assertThat(slots(ring)).isEqualTo(ReadingRing.BLOCK);
        int n = 1_000;
        long[] times = new long[n];
        double[][] values = new double[1][n];
        for (int i = 0; i < n; i++) {
            times[i] = i;
            values[0][i] = i * 0.5;
            ring.add(SensorReading.of("s", i, i * 0.5));
            int expectedSlots = Math.min(300, (i / ReadingRing.BLOCK + 1) * ReadingRing.BLOCK);
            assertThat(slots(ring)).as("after %d readings", i + 1).isEqualTo(expectedSlots);
            assertThat(ring.size).isEqualTo(Math.min(i + 1, 300));
            SensorWindow w = ring.toWindow("s", 0, 10, CHANNELS);
            int steps = Math.min(i + 1, 10);
            assertThat(w.timestamps).hasSize(steps);
            assertThat(w.timestamp).isEqualTo(i);
            assertThat(w.latest(0)).isEqualTo(i * 0.5);
            // the channels are the whole series' channels however the ring grew and wrapped
            assertChannels(w, CHANNELS, times, values, i);
        }
        assertThat(ring.capacity()).isEqualTo(300);
    }

    /**
     * A ring keeps its newest rows' channels between windows; rows it has not seen a window for
     * (before the sensor's first window, or when its channels change) are computed.
     */
    @Test
    void keptChannelsAreTheSeriesChannelsWhicheverWindowsWereMade() {
        SeasonalChannels twoLags =
                new SeasonalChannels(List.of(Duration.ofMillis(50), Duration.ofMillis(200)), 150);
        SeasonalChannels otherLags =
                new SeasonalChannels(List.of(Duration.ofMillis(70), Duration.ofMillis(200)), 150);
        ReadingRing ring = new ReadingRing(12 + 150, new String[] {"a", "b"});
        int n = 600;
        long[] times = new long[n];
        double[][] values = new double[2][n];
        Random random = new Random(7);
        long t = 0;
        for (int i = 0; i < n; i++) {
            t += 1 + random.nextInt(9); // irregular steps, with gaps
            times[i] = t;
            values[0][i] = random.nextGaussian();
            values[1][i] = i;
            ring.add(
                    new SensorReading(
                            "s", t, new String[] {"a", "b"}, new double[] {values[0][i], i}));
            // a window at most readings, now and then none for a few, the lags changing at times
            if (random.nextInt(4) > 0) {
                SeasonalChannels channels = (i / 100) % 2 == 0 ? twoLags : otherLags;
                assertChannels(ring.toWindow("s", 0, 12, channels), channels, times, values, i);
            }
        }
    }

    /** A ring from state written before rings kept channels computes them all once. */
    @Test
    void aRingWithoutKeptChannelsComputesThem() {
        ReadingRing ring = new ReadingRing(10 + 290, new String[] {"value"});
        long[] times = new long[400];
        double[][] values = new double[1][400];
        for (int i = 0; i < 400; i++) {
            times[i] = 3L * i;
            values[0][i] = Math.sin(i);
            ring.add(SensorReading.of("s", times[i], values[0][i]));
        }
        ring.toWindow("s", 0, 10, CHANNELS);
        // as the older state restores it: no count, no rows
        ring.added = 0;
        ring.channelRows = new double[0];
        ring.cachedFrom = 0;
        ring.cachedTo = 0;
        ring.channelsKey = 0;
        assertChannels(ring.toWindow("s", 0, 10, CHANNELS), CHANNELS, times, values, 399);
        ring.add(SensorReading.of("s", 1_200, 0.25));
        long[] longer = Arrays.copyOf(times, 401);
        longer[400] = 1_200;
        double[][] more = {Arrays.copyOf(values[0], 401)};
        more[0][400] = 0.25;
        assertChannels(ring.toWindow("s", 0, 10, CHANNELS), CHANNELS, longer, more, 400);
    }

    /** {@code w}'s channels are those of rows {@code ..newest} of the whole series. */
    private static void assertChannels(
            SensorWindow w,
            SeasonalChannels channels,
            long[] times,
            double[][] values,
            int newest) {
        double[][] all =
                channels.of(
                        Arrays.copyOf(times, newest + 1),
                        Arrays.stream(values)
                                .map(v -> Arrays.copyOf(v, newest + 1))
                                .toArray(double[][]::new));
        int steps = w.steps();
        int width = all.length;
        assertThat(w.channels).hasSize(steps * width);
        for (int s = 0; s < steps; s++) {
            int row = newest - steps + 1 + s;
            for (int c = 0; c < width; c++) {
                assertThat(w.channels[s * width + c])
                        .as("row %d channel %d at %d", row, c, newest)
                        .isEqualTo(all[c][row]);
            }
        }
    }

    /** Rings in state written before rings grew have no limit: their arrays are their capacity. */
    @Test
    void aRingWithoutALimitHoldsWhatItsArraysHold() {
        ReadingRing old = new ReadingRing();
        old.names = new String[] {"value"};
        old.values = new double[3];
        old.timestamps = new long[3];
        for (int i = 0; i < 5; i++) {
            old.add(SensorReading.of("s", i, i));
        }
        assertThat(old.capacity()).isEqualTo(3);
        assertThat(old.toWindow("s", 0, 3, SeasonalChannels.NONE).values).containsExactly(2, 3, 4);
    }

    /**
     * The state backend's copy of a sensor's state (during a checkpoint) shares the ring's blocks:
     * the copy and the original then change apart, each copying only the block it writes into.
     */
    @Test
    void copiesShareBlocksAndChangeApart() throws Exception {
        TypeSerializer<SensorSequence> serializer =
                TypeInformation.of(SensorSequence.class)
                        .createSerializer(new SerializerConfigImpl());
        SensorSequence original = new SensorSequence();
        original.ring = new ReadingRing(10 + 290, new String[] {"value"});
        for (int i = 0; i < 400; i++) {
            original.ring.add(SensorReading.of("s", i, i));
        }
        SensorSequence copy = serializer.copy(original);
        assertThat(copy.ring).isNotSameAs(original.ring);
        for (int b = 0; b < copy.ring.blocks.length; b++) {
            assertThat(copy.ring.blocks[b]).isSameAs(original.ring.blocks[b]);
            assertThat(copy.ring.blocks[b].isShared()).isTrue();
        }
        copy.ring.add(SensorReading.of("s", 400, -1));
        original.ring.add(SensorReading.of("s", 400, -2));
        assertThat(copy.ring.toWindow("s", 0, 3, SeasonalChannels.NONE).values)
                .containsExactly(398, 399, -1);
        assertThat(original.ring.toWindow("s", 0, 3, SeasonalChannels.NONE).values)
                .containsExactly(398, 399, -2);
        int written = 400 % 300 / ReadingRing.BLOCK;
        for (int b = 0; b < copy.ring.blocks.length; b++) {
            if (b == written) {
                assertThat(copy.ring.blocks[b]).isNotSameAs(original.ring.blocks[b]);
            } else {
                assertThat(copy.ring.blocks[b]).isSameAs(original.ring.blocks[b]);
            }
        }
        // what a checkpoint writes of the copy restores its windows, channels included
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        serializer.serialize(copy, out);
        SensorSequence restored =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        for (int window : new int[] {1, 10, 300}) {
            SensorWindow expected = copy.ring.toWindow("s", 0, window, CHANNELS);
            SensorWindow actual = restored.ring.toWindow("s", 0, window, CHANNELS);
            assertThat(actual.timestamps).containsExactly(expected.timestamps);
            assertThat(actual.values).containsExactly(expected.values);
            assertThat(actual.channels).containsExactly(expected.channels);
        }
    }

    /** A ring in state written before blocks (one array of slots, wrapped) keeps its readings. */
    @Test
    void aRingWithoutBlocksMovesItsSlotsIntoBlocks() {
        ReadingRing written = new ReadingRing(150, new String[] {"a", "b"});
        ReadingRing old = new ReadingRing();
        old.names = new String[] {"a", "b"};
        old.limit = 150;
        old.values = new double[150 * 2];
        old.timestamps = new long[150];
        for (int i = 0; i < 170; i++) { // wrapped: slot i % 150, next at 20
            SensorReading r =
                    new SensorReading("s", i, new String[] {"a", "b"}, new double[] {i, -i});
            written.add(r);
            old.values[i % 150 * 2] = i;
            old.values[i % 150 * 2 + 1] = -i;
            old.timestamps[i % 150] = i;
        }
        old.size = 150;
        old.next = 20;
        old.added = 170;
        SensorWindow expected = written.toWindow("s", 0, 150, SeasonalChannels.NONE);
        SensorWindow actual = old.toWindow("s", 0, 150, SeasonalChannels.NONE);
        assertThat(actual.timestamps).containsExactly(expected.timestamps);
        assertThat(actual.values).containsExactly(expected.values);
        assertThat(old.values).isNull();
        assertThat(old.timestamps).isNull();
        assertThat(slots(old)).isEqualTo(150);
        old.add(new SensorReading("s", 170, new String[] {"a", "b"}, new double[] {7, 8}));
        assertThat(old.toWindow("s", 0, 2, SeasonalChannels.NONE).values)
                .containsExactly(169, -169, 7, 8);
    }

    private static int slots(ReadingRing ring) {
        return Arrays.stream(ring.blocks).mapToInt(ReadingBlock::slots).sum();
    }
}
