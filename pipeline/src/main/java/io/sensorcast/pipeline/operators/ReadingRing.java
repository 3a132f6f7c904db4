package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.SensorReading;
import java.util.Arrays;

/**
 * A fixed-capacity ring of a sensor's most recent readings: the bounded keyed state behind {@link
 * SequenceWindowFunction}. A Flink POJO; its size never exceeds {@code capacity} readings.
 */
public final class ReadingRing {

    public String[] names;
    public double[] values; // capacity × names.length
    public long[] timestamps; // capacity
    public int size;
    public int next;

    public ReadingRing() {}

    public ReadingRing(int capacity, String[] names) {
        this.names = names.clone();
        this.values = new double[capacity * names.length];
        this.timestamps = new long[capacity];
    }

    public int capacity() {
        return timestamps.length;
    }

    /** Whether {@code r} has the same features as the ring (a sensor may change its schema). */
    public boolean fits(SensorReading r) {
        return Arrays.equals(names, r.names);
    }

    /** Appends {@code r}, overwriting the oldest reading when full. */
    public void add(SensorReading r) {
        int f = names.length;
        System.arraycopy(r.values, 0, values, next * f, f);
        timestamps[next] = r.timestamp;
        next = (next + 1) % capacity();
        size = Math.min(size + 1, capacity());
    }

    /** The readings as a window, oldest first. */
    public SensorWindow toWindow(String sensor, long ingestMillis) {
        int f = names.length;
        int n = size;
        SensorWindow w = new SensorWindow();
        w.sensor = sensor;
        w.names = names.clone();
        w.values = new double[n * f];
        w.timestamps = new long[n];
        int oldest = (next - n + capacity()) % capacity();
        for (int i = 0; i < n; i++) {
            int slot = (oldest + i) % capacity();
            w.timestamps[i] = timestamps[slot];
            System.arraycopy(values, slot * f, w.values, i * f, f);
        }
        w.timestamp = w.timestamps[n - 1];
        w.ingestMillis = ingestMillis;
        return w;
    }
}
