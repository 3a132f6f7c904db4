package io.sensorcast.model.interval;

import java.util.Locale;

/**
 * How good a run of intervals at each level was: the share of readings inside (coverage), the mean
 * width, and the mean interval (Winkler) score, the width plus {@code 2/α} times the distance by
 * which a reading missed the band ({@code α = 1 − level}). Lower scores are better; a band that is
 * too narrow pays for its misses, one too wide for its width. Not thread-safe.
 */
public final class IntervalScore {

    private final IntervalLevels levels;
    private final long[] inside;
    private final double[] width;
    private final double[] winkler;
    private long n;

    public IntervalScore(IntervalLevels levels) {
        this.levels = levels;
        this.inside = new long[levels.size()];
        this.width = new double[levels.size()];
        this.winkler = new double[levels.size()];
    }

    /** One reading {@code actual} against its bands, {@code lo[l]..hi[l]} per level. */
    public void add(double actual, double[] lo, double[] hi) {
        n++;
        for (int l = 0; l < levels.size(); l++) {
            double alpha = 1 - levels.level(l);
            double w = hi[l] - lo[l];
            double s = w;
            if (actual < lo[l]) {
                s += 2 / alpha * (lo[l] - actual);
            } else if (actual > hi[l]) {
                s += 2 / alpha * (actual - hi[l]);
            } else {
                inside[l]++;
            }
            width[l] += w;
            winkler[l] += s;
        }
    }

    public long count() {
        return n;
    }

    public IntervalLevels levels() {
        return levels;
    }

    public double coverage(int l) {
        return n == 0 ? Double.NaN : (double) inside[l] / n;
    }

    public double meanWidth(int l) {
        return n == 0 ? Double.NaN : width[l] / n;
    }

    public double winkler(int l) {
        return n == 0 ? Double.NaN : winkler[l] / n;
    }

    /** One line per level: {@code name 80% coverage 80.4% width 1.23 interval score 1.71}. */
    public String lines(String name) {
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < levels.size(); l++) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-22s %4.0f%%  coverage %5.1f%%  mean width %9.4f  interval score"
                                    + " %9.4f%n",
                            name,
                            100 * levels.level(l),
                            100 * coverage(l),
                            meanWidth(l),
                            winkler(l)));
        }
        return sb.toString();
    }
}
