package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.pipeline.state.BulkArrays;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A bounded ring of a sensor's most recent readings: the keyed state behind {@link
 * SequenceWindowFunction}, the window and, before it, the readings its seasonal channels reach back
 * to. Its slots come in {@link ReadingBlock}s of {@link #BLOCK}, added as readings arrive until
 * they hold {@code capacity} readings, so a young sensor costs what it has, not a week of readings;
 * from then on the newest reading overwrites the oldest. A Flink POJO; its size never exceeds
 * {@code capacity} readings. Copies of a ring (the heap state backend's, during a checkpoint) share
 * its blocks; a ring copies a shared block before writing into it.
 *
 * <p>A reading's seasonal channels depend only on it and the readings before it, so the ring keeps
 * those of its newest {@code window} readings: each window computes its newest row's and copies the
 * rest (computing a whole window's was a quarter of the sequence operator's time in {@code
 * sensorcast bench}).
 */
public final class ReadingRing {

    /**
     * Slots a block holds (the last block of a ring fewer, when its capacity is not a multiple).
     */
    static final int BLOCK = 64;

    public String[] names;

    /** The slots, {@link #BLOCK} a block: slot {@code i} is block {@code i / BLOCK}'s. */
    public ReadingBlock[] blocks;

    public int size;
    public int next;

    /**
     * The slots' values and times in state written before rings kept blocks (then {@link #blocks}
     * is null); moved into blocks when the ring is first used, null after.
     */
    @TypeInfo(BulkArrays.Doubles.class)
    public double[] values;

    public long[] timestamps;

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
    @TypeInfo(BulkArrays.Doubles.class)
    public double[] channelRows = new double[0];

    public long cachedFrom;
    public long cachedTo;

    /** The {@link SeasonalChannels#fingerprint} of the cached rows' channels. */
    public long channelsKey;

    public ReadingRing() {}

    public ReadingRing(int capacity, String[] names) {
        this.names = names.clone();
        this.limit = capacity;
        this.blocks =
                new ReadingBlock[] {new ReadingBlock(Math.min(capacity, BLOCK), names.length)};
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
        return limit > 0 ? limit : slots();
    }

    /** The ring's slots; moves the slots of state written before blocks into blocks. */
    private int slots() {
        if (blocks == null) {
            blocks = new ReadingBlock[(timestamps.length + BLOCK - 1) / BLOCK];
            int f = names.length;
            for (int b = 0; b < blocks.length; b++) {
                int from = b * BLOCK;
                int n = Math.min(BLOCK, timestamps.length - from);
                blocks[b] = new ReadingBlock(n, f);
                System.arraycopy(timestamps, from, blocks[b].timestamps, 0, n);
                System.arraycopy(values, from * f, blocks[b].values, 0, n * f);
            }
            values = null;
            timestamps = null;
        }
        int last = blocks.length - 1;
        return last < 0 ? 0 : last * BLOCK + blocks[last].slots();
    }

    private long time(int slot) {
        return blocks[slot / BLOCK].timestamps[slot % BLOCK];
    }

    private double value(int slot, int feature) {
        return blocks[slot / BLOCK].values[(slot % BLOCK) * names.length + feature];
    }

    /** The newest reading's time; only while {@code size > 0}. */
    long newest() {
        int slots = slots();
        return time((next - 1 + slots) % slots);
    }

    /** Whether {@code r} has the same features as the ring (a sensor may change its schema). */
    public boolean fits(SensorReading r) {
        return Arrays.equals(names, r.names);
    }

    /** Appends {@code r}, overwriting the oldest reading when full. */
    public void add(SensorReading r) {
        int f = names.length;
        int slots = slots();
        if (size == slots && slots < capacity()) {
            // never overwritten: the readings are slots 0..size-1, in order
            blocks = Arrays.copyOf(blocks, blocks.length + 1);
            blocks[blocks.length - 1] = new ReadingBlock(Math.min(BLOCK, capacity() - slots), f);
            slots = slots();
            next = size;
        }
        int b = next / BLOCK;
        ReadingBlock block = blocks[b].writable();
        blocks[b] = block;
        int at = next % BLOCK;
        System.arraycopy(r.values, 0, block.values, at * f, f);
        block.timestamps[at] = r.timestamp;
        next = (next + 1) % slots;
        size = Math.min(size + 1, slots);
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
            ReadingBlock block = blocks[slot / BLOCK];
            w.timestamps[i] = block.timestamps[slot % BLOCK];
            System.arraycopy(block.values, (slot % BLOCK) * f, w.values, i * f, f);
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
                        return ReadingRing.this.time((oldest + i) % slots);
                    }

                    @Override
                    public double value(int i, int c) {
                        return ReadingRing.this.value((oldest + i) % slots, c);
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
