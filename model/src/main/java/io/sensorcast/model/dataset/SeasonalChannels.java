package io.sensorcast.model.dataset;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seasonal input channels: beside each reading of a window, the readings a day and a week (each of
 * {@link #lags()}) before the reading that follows it. A model that reads them can learn "the next
 * change is what the series did at this time yesterday and last week" — the normal daily and weekly
 * transitions a window of the last few hours cannot foresee — and it notices when a day departs
 * from them. One definition, used where training tables are built and where the forecasting job
 * makes its windows, so a model reads in service what it was trained on.
 *
 * <p><b>Channel {@code k} of row {@code r}</b> is the value of the first reading later than {@code
 * t(r) − lag(k)}: for a series sampled every {@code Δ} with {@code lag = dΔ}, the reading {@code d}
 * steps before row {@code r + 1}, the target when {@code r} is a window's newest step. Event time
 * decides, not reading counts, so the sampling interval needs no estimate and gaps are allowed. A
 * channel looks back at most {@link #lookback()} readings (the state the job keeps per sensor):
 * when no reading of the series at or before {@code t(r) − lag(k)} lies within them, the next
 * shorter lag's channel stands in (a week-old sensor's week channel is its day channel), and for
 * the shortest lag the row's own value (which, relative to its newest step, is no information).
 *
 * <p>Channels are named {@code <column>@<lag>} ({@code value@1d}, {@code value@7d}), one per column
 * and lag, column by column.
 *
 * @param lags positive, increasing
 * @param lookback readings before a row a channel may reach back; 0 for no channels
 */
public record SeasonalChannels(List<Duration> lags, int lookback) implements Serializable {

    /** No seasonal channels. */
    public static final SeasonalChannels NONE = new SeasonalChannels(List.of(), 0);

    /** The separator between a column's name and a lag in a channel's name. */
    public static final char SEPARATOR = '@';

    public SeasonalChannels {
        lags = List.copyOf(lags);
        if (lookback < 0 || lookback > 1_000_000) {
            throw new IllegalArgumentException(
                    "seasonal lookback must be in [0, 1000000] readings, got " + lookback);
        }
        for (int k = 0; k < lags.size(); k++) {
            if (lags.get(k).toMillis() <= 0) {
                throw new IllegalArgumentException(
                        "seasonal lags must be at least 1 ms, got " + lags.get(k));
            }
            if (k > 0 && lags.get(k).compareTo(lags.get(k - 1)) <= 0) {
                throw new IllegalArgumentException(
                        "seasonal lags must increase, got "
                                + lags.get(k - 1)
                                + " then "
                                + lags.get(k));
            }
        }
    }

    /** Whether there are channels: at least one lag and a lookback. */
    public boolean enabled() {
        return !lags.isEmpty() && lookback > 0;
    }

    /**
     * A number that differs between channel definitions (lags and lookback) and is the same in
     * every JVM: what a cache of computed channels is keyed by.
     */
    public long fingerprint() {
        long h = lookback;
        for (Duration lag : lags) {
            h = 31 * h + lag.toMillis();
        }
        return h;
    }

    /** Channels per column. */
    public int perColumn() {
        return enabled() ? lags.size() : 0;
    }

    /** The channels' names for {@code columns}: column by column, each lag in order. */
    public List<String> names(List<String> columns) {
        List<String> out = new ArrayList<>(columns.size() * perColumn());
        for (String c : columns) {
            for (int k = 0; k < perColumn(); k++) {
                out.add(c + SEPARATOR + label(lags.get(k)));
            }
        }
        return out;
    }

    /** Whether {@code name} is a seasonal channel's name rather than a reading's column. */
    public static boolean isChannel(String name) {
        return name.indexOf(SEPARATOR) >= 0;
    }

    /** The names in {@code names} that are readings' columns, not seasonal channels, in order. */
    public static List<String> readingColumns(List<String> names) {
        return names.stream().filter(n -> !isChannel(n)).toList();
    }

    /** {@code 1d}, {@code 12h}, {@code 30min}, {@code 90s} or {@code 250ms}. */
    static String label(Duration lag) {
        long ms = lag.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "min", "s"};
        for (int u = 0; u < units.length; u++) {
            if (ms % units[u] == 0) {
                return ms / units[u] + names[u];
            }
        }
        return ms + "ms";
    }

    /** A time-ordered series with random access, oldest reading first. */
    public interface Series {
        /** Event time of reading {@code i}, epoch ms, strictly increasing in {@code i}. */
        long time(int i);

        /** Column {@code c} of reading {@code i}. */
        double value(int i, int c);

        /** Arrays as a series: {@code times[i]} and {@code columns[c][i]}. */
        static Series of(long[] times, double[][] columns) {
            return new Series() {
                @Override
                public long time(int i) {
                    return times[i];
                }

                @Override
                public double value(int i, int c) {
                    return columns[c][i];
                }
            };
        }
    }

    /** The reading whose values stand in channel {@code k} of row {@code row}. */
    public int source(Series s, int row, int k) {
        return standIn(s, row, k, reading(s, row, k, -1));
    }

    /**
     * Channel {@code k}'s reading for {@code row} given the lag's own reading {@code own} (-1 when
     * the lookback does not reach it): the next shorter lag's, down to the row itself.
     */
    private int standIn(Series s, int row, int k, int own) {
        int from = own;
        for (int j = k - 1; from < 0 && j >= 0; j--) {
            from = reading(s, row, j, -1);
        }
        return from >= 0 ? from : row;
    }

    /**
     * The first reading later than {@code t(row) − lag(j)}, or -1 when no reading of the lookback
     * is at or before that time. {@code hint} is lag {@code j}'s reading for an earlier row of the
     * same series, or -1: rows in increasing order then cost a step or two each instead of a binary
     * search, the cutoff only moving forward.
     */
    private int reading(Series s, int row, int j, int hint) {
        int oldest = Math.max(0, row - lookback);
        long cutoff = s.time(row) - lags.get(j).toMillis();
        if (s.time(oldest) > cutoff) {
            return -1;
        }
        // the first reading later than the cutoff is in [oldest + 1, row]
        if (hint > oldest) {
            int i = hint;
            while (s.time(i) <= cutoff) {
                i++;
            }
            return i;
        }
        int lo = oldest + 1;
        int hi = row;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s.time(mid) > cutoff) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Writes the channels of {@code rows} rows from {@code first}, each row's {@code columns}
     * columns' channels in {@link #names} order, one row after another, to {@code out} from {@code
     * offset}.
     */
    public void fill(Series s, int first, int rows, int columns, double[] out, int offset) {
        int per = perColumn();
        int[] own = new int[per]; // each lag's own reading for the row before, or -1
        Arrays.fill(own, -1);
        for (int r = first; r < first + rows; r++) {
            int at = offset + (r - first) * columns * per;
            for (int k = 0; k < per; k++) {
                own[k] = reading(s, r, k, own[k]);
                int from = standIn(s, r, k, own[k]);
                for (int c = 0; c < columns; c++) {
                    out[at + c * per + k] = s.value(from, c);
                }
            }
        }
    }

    /**
     * The channels of a whole series, {@code [channel][row]} in {@link #names} order.
     *
     * @param times epoch ms, strictly increasing
     * @param columns {@code [column][row]}
     */
    public double[][] of(long[] times, double[][] columns) {
        int per = perColumn();
        double[][] out = new double[columns.length * per][times.length];
        Series s = Series.of(times, columns);
        int width = columns.length * per;
        double[] rows = new double[times.length * width];
        fill(s, 0, times.length, columns.length, rows, 0);
        for (int r = 0; r < times.length; r++) {
            for (int c = 0; c < width; c++) {
                out[c][r] = rows[r * width + c];
            }
        }
        return out;
    }
}
