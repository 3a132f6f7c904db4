package io.sensorcast.model.interval;

import java.util.Arrays;
import java.util.List;

/**
 * The nominal coverage levels of a forecast's intervals, each in (0, 1), ascending, for example 0.8
 * and 0.95: the band at level {@code c} is meant to hold the reading a fraction {@code c} of the
 * time.
 */
public final class IntervalLevels implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** 80% and 95%, the levels forecasting tools print by default. */
    public static final IntervalLevels DEFAULT = of(List.of(0.8, 0.95));

    /** No intervals at all. */
    public static final IntervalLevels NONE = of(List.of());

    private final double[] levels;

    private IntervalLevels(double[] levels) {
        this.levels = levels;
    }

    /**
     * @throws IllegalArgumentException naming the level that is not in (0, 1), or a repeat
     */
    public static IntervalLevels of(List<Double> levels) {
        double[] sorted = levels.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        for (int i = 0; i < sorted.length; i++) {
            if (!(sorted[i] > 0 && sorted[i] < 1)) {
                throw new IllegalArgumentException(
                        "an interval level must be in (0, 1), got " + sorted[i]);
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("interval level " + sorted[i] + " given twice");
            }
        }
        return new IntervalLevels(sorted);
    }

    public int size() {
        return levels.length;
    }

    public double level(int l) {
        return levels[l];
    }

    /** The probability a reading falls below the band at level {@code l}: half its miss rate. */
    public double tail(int l) {
        return (1 - levels[l]) / 2;
    }

    public List<Double> asList() {
        return Arrays.stream(levels).boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntervalLevels other && Arrays.equals(levels, other.levels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(levels);
    }

    @Override
    public String toString() {
        return asList().toString();
    }
}
