package io.sensorcast.pipeline.operators;

import io.sensorcast.model.ReadingWindow;
import io.sensorcast.model.dataset.SeasonalChannels;
import java.util.Arrays;
import java.util.Objects;

/**
 * The last {@code window} readings of one sensor in event-time order, emitted when a reading
 * completes it, with their seasonal channels: what a forecast is made from, read by the model as a
 * {@link ReadingWindow}. A Flink POJO.
 */
public final class SensorWindow implements ReadingWindow {

    public String sensor;

    /** Event time of the newest reading (the forecast's origin), epoch ms. */
    public long timestamp;

    /** Processing time (epoch ms) at which the newest reading entered the sequence function. */
    public long ingestMillis;

    /** Feature names, in the order of {@link #values}' inner dimension. */
    public String[] names;

    /** {@code window × names.length} values, oldest step first, row-major. */
    public double[] values;

    /** Event times of the steps, oldest first. */
    public long[] timestamps;

    /** The seasonal channels' names ({@link SeasonalChannels#names}); empty without channels. */
    public String[] channelNames = NONE;

    /** {@code window × channelNames.length} values, oldest step first, row-major. */
    public double[] channels = new double[0];

    private static final String[] NONE = new String[0];

    public SensorWindow() {}

    @Override
    public int steps() {
        return timestamps.length;
    }

    /** The readings' columns, then the seasonal channels. */
    @Override
    public int columns() {
        return names.length + channelNames.length;
    }

    @Override
    public String column(int c) {
        return c < names.length ? names[c] : channelNames[c - names.length];
    }

    @Override
    public double value(int step, int c) {
        int f = names.length;
        return c < f ? values[step * f + c] : channels[step * channelNames.length + c - f];
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
                && Arrays.equals(channelNames, w.channelNames)
                && Arrays.equals(channels, w.channels)
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
