package io.sensorcast.pipeline.operators;

import io.sensorcast.model.ReadingWindow;
import java.util.Arrays;
import java.util.Objects;

/**
 * The last {@code window} readings of one sensor in event-time order, emitted when a reading
 * completes it: what a forecast is made from, read by the model as a {@link ReadingWindow}. A Flink
 * POJO.
 */
public final class SensorWindow implements ReadingWindow {

    public String sensor;

    /** Event time of the newest reading (the forecast's origin), epoch ms. */
    public long timestamp;

    /** Processing time (epoch ms) at which the newest reading entered the sequence operator. */
    public long ingestMillis;

    /** Feature names, in the order of {@link #values}' inner dimension. */
    public String[] names;

    /** {@code window × names.length} values, oldest step first, row-major. */
    public double[] values;

    /** Event times of the steps, oldest first. */
    public long[] timestamps;

    public SensorWindow() {}

    @Override
    public int steps() {
        return timestamps.length;
    }

    @Override
    public int columns() {
        return names.length;
    }

    @Override
    public String column(int c) {
        return names[c];
    }

    @Override
    public double value(int step, int c) {
        return values[step * names.length + c];
    }

    /** The newest reading's value of feature {@code f}. */
    public double latest(int f) {
        return values[(steps() - 1) * names.length + f];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorWindow w
                && timestamp == w.timestamp
                && Objects.equals(sensor, w.sensor)
                && Arrays.equals(names, w.names)
                && Arrays.equals(values, w.values)
                && Arrays.equals(timestamps, w.timestamps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sensor, timestamp);
    }

    @Override
    public String toString() {
        return "SensorWindow{" + sensor + "@" + timestamp + ", " + steps() + " steps}";
    }
}
