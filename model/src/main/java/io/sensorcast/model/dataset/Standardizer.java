package io.sensorcast.model.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;

/**
 * Per-column z-scores, {@code (x − mean) / std}, with statistics taken from the training rows only
 * so that nothing of the validation or test period leaks into the model.
 */
public final class Standardizer {

    private final double[] means;
    private final double[] stds;

    @JsonCreator
    public Standardizer(
            @JsonProperty("means") double[] means, @JsonProperty("stds") double[] stds) {
        if (means.length != stds.length) {
            throw new IllegalArgumentException(
                    means.length + " means but " + stds.length + " standard deviations");
        }
        for (int i = 0; i < stds.length; i++) {
            if (!(stds[i] > 0) || !Double.isFinite(stds[i]) || !Double.isFinite(means[i])) {
                throw new IllegalArgumentException(
                        "column " + i + ": std must be finite and > 0, got " + stds[i]);
            }
        }
        this.means = means.clone();
        this.stds = stds.clone();
    }

    /**
     * Statistics of rows {@code [from, to)} of every column of {@code table}. A column that is
     * constant over those rows cannot be standardised and is refused by name.
     */
    public static Standardizer fit(TimeSeriesTable table, int from, int to) {
        if (from < 0 || to > table.rows() || to - from < 2) {
            throw new IllegalArgumentException(
                    "need at least 2 training rows inside [0, "
                            + table.rows()
                            + "], got ["
                            + from
                            + ", "
                            + to
                            + ")");
        }
        List<String> names = table.columns();
        double[] means = new double[names.size()];
        double[] stds = new double[names.size()];
        for (int c = 0; c < names.size(); c++) {
            double sum = 0;
            for (int r = from; r < to; r++) {
                sum += table.value(c, r);
            }
            double mean = sum / (to - from);
            double sq = 0;
            for (int r = from; r < to; r++) {
                double d = table.value(c, r) - mean;
                sq += d * d;
            }
            double std = Math.sqrt(sq / (to - from));
            if (!(std > 1e-12 * Math.max(1.0, Math.abs(mean)))) {
                throw new IllegalArgumentException(
                        "column '"
                                + names.get(c)
                                + "' is constant over the training rows (zero variance)");
            }
            means[c] = mean;
            stds[c] = std;
        }
        return new Standardizer(means, stds);
    }

    public double scale(int column, double value) {
        return (value - means[column]) / stds[column];
    }

    public double unscale(int column, double value) {
        return value * stds[column] + means[column];
    }

    @JsonProperty
    public double[] means() {
        return means.clone();
    }

    @JsonProperty
    public double[] stds() {
        return stds.clone();
    }

    public int columns() {
        return means.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s
                && Arrays.equals(means, s.means)
                && Arrays.equals(stds, s.stds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(means) + Arrays.hashCode(stds);
    }
}
