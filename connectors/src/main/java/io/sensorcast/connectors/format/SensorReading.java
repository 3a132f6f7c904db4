package io.sensorcast.connectors.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * One reading of one sensor at one event time: a single value ({@code names = ["value"]}) or
 * several named values.
 *
 * <p>A Flink POJO (public fields, no-argument constructor) so it moves between operators without
 * Kryo.
 */
public final class SensorReading {

    /** The field name of a univariate reading's value. */
    public static final String VALUE = "value";

    public String sensor;

    /** Event time, epoch milliseconds. */
    public long timestamp;

    public String[] names;
    public double[] values;

    public SensorReading() {}

    public SensorReading(String sensor, long timestamp, String[] names, double[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException(
                    names.length + " names for " + values.length + " values");
        }
        this.sensor = sensor;
        this.timestamp = timestamp;
        this.names = names;
        this.values = values;
    }

    /** A univariate reading. */
    public static SensorReading of(String sensor, long timestamp, double value) {
        return new SensorReading(sensor, timestamp, new String[] {VALUE}, new double[] {value});
    }

    /** The value named {@code name}, or NaN when the reading has none. */
    public double value(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    public boolean isUnivariate() {
        return names.length == 1 && VALUE.equals(names[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorReading r
                && timestamp == r.timestamp
                && Objects.equals(sensor, r.sensor)
                && Arrays.equals(names, r.names)
                && Arrays.equals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sensor, timestamp) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(sensor).append('@').append(timestamp).append('{');
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }
}
