package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.dataset.SeasonalChannels;
import java.util.Arrays;

/**
 * A bounded ring of a sensor's most recent readings: the keyed state behind {@link
 * SequenceWindowFunction}, the window and, before it, the readings its seasonal channels reach back
 * to. Its arrays grow (doubling) as readings arrive until they hold {@code capacity} readings, so a
 * young sensor costs what it has, not a week of readings; from then on the newest reading
 * overwrites the oldest. A Flink POJO; its size never exceeds {@code capacity} readings.
 *
 * <p>A reading's seasonal channels depend only on it and the readings before it, so the ring keeps
 * those of its newest {@code window} readings: each window computes its newest row's and copies the
 * rest (computing a whole window's was a quarter of the sequence operator's time in {@code
 * sensorcast bench}).
 */
public final class ReadingRing {

    /** Slots allocated before the first growth. */
    static final int INITIAL_SLOTS = 128;

    public String[] names;
    public double[] values; // slots × names.length
    public long[] timestamps; // slots
    public int size;
    public int next;

    /** The most readings the ring holds; 0 in state written before rings grew (then: the slots). */
    public int limit;

    /**
     * Readings added since the ring was made, the newest being number {@code added - 1}; 0 in state
     * written before the ring kept channels (then set to {@link #size} when a window needs them).
     */
    public long added;

    /**
     * The channels of the newest readings: {@code window} rows, reading {@code a}'s row (its {@code
     * names.length × lags} channels) at row {@code a % window}. Rows of readings in {@code
     * [cachedFrom, cachedTo)} are filled, as {@link #channelsKey} defines channels.
     */
    public double[] channelRows = new double[0];

    public long cachedFrom;
    public long cachedTo;

    /** The {@link SeasonalChannels#fingerprint} of the cached rows' channels. */
    public long channelsKey;

    public ReadingRing() {}

    public ReadingRing(int capacity, String[] names) {
        this.names = names.clone();
        this.limit = capacity;
        int slots = Math.min(capacity, INITIAL_SLOTS);
        this.values = new double[slots * names.length];
        this.timestamps = new long[slots];
    }

    /** The channels' names, made once per ring (not state: transient fields are not a POJO's). */
    private transient String[] channelNames;

    private String[] channelNames(SeasonalChannels channels) {
        if (channelNames == null) {
            channelNames = channels.names(Arrays.asList(names)).toArray(new String[0]);
        }
        return channelNames;
    }

    /** The most readings the ring holds. */
    public int capacity() {
        return limit > 0 ? limit : timestamps.length;
    }

    private int slots() {
        return timestamps.length;
    }

    /** Whether {@code r} has the same features as the ring (a sensor may change its schema). */
    public boolean fits(SensorReading r) {
        return Arrays.equals(names, r.names);
    }

    /** Appends {@code r}, overwriting the oldest reading when full. */
    public void add(SensorReading r) {
        int f = names.length;
        if (size == slots() && slots() < capacity()) {
            // never overwritten: the readings are slots 0..size-1, in order
            int grown = (int) Math.min(capacity(), 2L * slots());
            values = Arrays.copyOf(values, grown * f);
            timestamps = Arrays.copyOf(timestamps, grown);
            next = size;
        }
        System.arraycopy(r.values, 0, values, next * f, f);
        timestamps[next] = r.timestamp;
        next = (next + 1) % slots();
        size = Math.min(size + 1, slots());
        added++;
    }

    /**
     * The newest {@code window} readings (all, when fewer) as a window, oldest first, with their
     * seasonal {@code channels} drawn from the whole ring. The ring's capacity must be at least
     * {@code window} plus the channels' lookback for every step to see as far back as a training
     * table's row does.
     */
    public SensorWindow toWindow(
            String sensor, long ingestMillis, int window, SeasonalChannels channels) {
        int f = names.length;
        int n = Math.min(size, window);
        SensorWindow w = new SensorWindow();
        w.sensor = sensor;
        w.names = names; // never changed: a new schema gets a new ring
        w.values = new double[n * f];
        w.timestamps = new long[n];
        int slots = slots();
        int oldest = (next - size + slots) % slots; // logical index 0
        int first = size - n;
        for (int i = 0; i < n; i++) {
            int slot = (oldest + first + i) % slots;
            w.timestamps[i] = timestamps[slot];
            System.arraycopy(values, slot * f, w.values, i * f, f);
        }
        w.timestamp = w.timestamps[n - 1];
        w.ingestMillis = ingestMillis;
        int per = channels.perColumn();
        if (per > 0) {
            w.channelNames = channelNames(channels);
            w.channels = channels(channels, window, oldest, first, n);
        }
        return w;
    }

    /**
     * The channels of the {@code n} newest readings (logical rows {@code first..size-1}, logical
     * row 0 at slot {@code oldest}), row after row: cached rows copied, the others computed and
     * cached.
     */
    private double[] channels(SeasonalChannels channels, int window, int oldest, int first, int n) {
        int f = names.length;
        int width = f * channels.perColumn();
        long key = channels.fingerprint();
        if (channelRows.length != window * width || channelsKey != key || added < size) {
            channelRows = new double[window * width];
            channelsKey = key;
            added = Math.max(added, size);
            cachedFrom = 0;
            cachedTo = 0;
        }
        int slots = slots();
        SeasonalChannels.Series series =
                new SeasonalChannels.Series() {
                    @Override
                    public long time(int i) {
                        return timestamps[(oldest + i) % slots];
                    }

                    @Override
                    public double value(int i, int c) {
                        return values[((oldest + i) % slots) * f + c];
                    }
                };
        double[] out = new double[n * width];
        long from = added - n; // the number of the window's oldest reading
        for (int i = 0; i < n; i++) {
            long a = from + i;
            int row = (int) (a % window) * width;
            if (a < cachedFrom || a >= cachedTo) {
                channels.fill(series, first + i, 1, f, channelRows, row);
            }
            System.arraycopy(channelRows, row, out, i * width, width);
        }
        cachedFrom = from;
        cachedTo = added;
        return out;
    }
}
