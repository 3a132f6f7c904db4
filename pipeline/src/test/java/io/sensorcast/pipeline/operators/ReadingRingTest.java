package io.sensorcast.pipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.dataset.SeasonalChannels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingRingTest {

    private static final SeasonalChannels CHANNELS =
            new SeasonalChannels(List.of(Duration.ofMillis(100)), 290);

    @Test
    void growsAsReadingsArriveThenKeepsTheNewestCapacity() {
        ReadingRing ring = new ReadingRing(300, new String[] {"value"});
        assertThat(ring.timestamps).hasSize(ReadingRing.INITIAL_SLOTS);
        int n = 1_000;
        long[] times = new long[n];
        double[][] values = new double[1][n];
        for (int i = 0; i < n; i++) {
            times[i] = i;
            values[0][i] = i * 0.5;
            ring.add(SensorReading.of("s", i, i * 0.5));
            int expectedSlots = i < 128 ? 128 : i < 256 ? 256 : 300;
            assertThat(ring.timestamps).as("after %d readings", i + 1).hasSize(expectedSlots);
            assertThat(ring.size).isEqualTo(Math.min(i + 1, 300));
            SensorWindow w = ring.toWindow("s", 0, 10, CHANNELS);
            int steps = Math.min(i + 1, 10);
            assertThat(w.timestamps).hasSize(steps);
            assertThat(w.timestamp).isEqualTo(i);
            assertThat(w.latest(0)).isEqualTo(i * 0.5);
            // the channels are the whole series' channels however the ring grew and wrapped
            double[][] expected = CHANNELS.of(times, values);
            for (int s = 0; s < steps; s++) {
                int row = i - steps + 1 + s;
                assertThat(w.channels[s]).as("row %d at %d", row, i).isEqualTo(expected[0][row]);
            }
        }
        assertThat(ring.capacity()).isEqualTo(300);
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
}
