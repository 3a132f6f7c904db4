package io.sensorcast.model.evaluation;

import io.sensorcast.model.dataset.WindowedSeries;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.IntervalScore;
import io.sensorcast.model.interval.OnlineIntervals;
import java.util.Arrays;

/**
 * Intervals judged on the test windows, on the standardised scale: a forecaster's own, calibrated
 * online as the job calibrates them ({@link OnlineIntervals}, one per target, fed every reading
 * from the first validation window on), against the baseline band of persistence: its forecast plus
 * the empirical quantiles of its errors on the validation windows, per step and target.
 */
public final class IntervalComparison {

    private IntervalComparison() {}

    /**
     * @param windows windows with stride 1 from the validation rows through the test rows
     * @param predicted the forecaster's forecasts of {@code windows}, {@code (n, horizon, targets)}
     * @param testFrom the first test row: windows whose origin is before it only calibrate
     */
    public static IntervalScore online(
            WindowedSeries windows,
            float[] predicted,
            int testFrom,
            IntervalLevels levels,
            double rate) {
        int h = windows.horizon();
        int targets = windows.targets();
        IntervalScore score = new IntervalScore(levels);
        OnlineIntervals[] bands = new OnlineIntervals[targets];
        for (int t = 0; t < targets; t++) {
            bands[t] = OnlineIntervals.create(h, levels);
        }
        double[] lo = new double[levels.size()];
        double[] hi = new double[levels.size()];
        float[] steps = new float[h];
        for (int i = 0; i < windows.size(); i++) {
            boolean chained = i > 0 && windows.origin(i) == windows.origin(i - 1) + 1;
            for (int t = 0; t < targets; t++) {
                OnlineIntervals b = bands[t];
                if (chained) {
                    // the reading just before window i's first target: window i-1's first target
                    b.observe(windows.label(i - 1, 0, t), levels, rate);
                } else {
                    b.breakChain();
                }
                for (int k = 0; k < h; k++) {
                    steps[k] = predicted[(i * h + k) * targets + t];
                }
                b.push(steps, levels);
                if (windows.origin(i) < testFrom) {
                    continue;
                }
                for (int k = 0; k < h; k++) {
                    if (b.ready(k)) {
                        b.bounds(k, steps[k], levels, lo, hi);
                        score.add(windows.label(i, k, t), lo, hi);
                    }
                }
            }
        }
        return score;
    }

    /**
     * Persistence's band: its forecast plus, per step and target, the quantiles of its errors over
     * the windows before {@code testFrom}; scored on the windows from {@code testFrom} on.
     */
    public static IntervalScore persistenceQuantiles(
            WindowedSeries windows, int[] targetIndices, int testFrom, IntervalLevels levels) {
        float[] last = new PersistenceForecaster(targetIndices).predict(windows);
        int h = windows.horizon();
        int targets = windows.targets();
        int calibration = 0;
        while (calibration < windows.size() && windows.origin(calibration) < testFrom) {
            calibration++;
        }
        if (calibration == 0) {
            throw new IllegalArgumentException(
                    "no windows before row " + testFrom + " to calibrate");
        }
        double[][] quantiles = new double[h * targets][];
        double[] errors = new double[calibration];
        for (int k = 0; k < h; k++) {
            for (int t = 0; t < targets; t++) {
                for (int i = 0; i < calibration; i++) {
                    errors[i] = windows.label(i, k, t) - last[(i * h + k) * targets + t];
                }
                double[] sorted = errors.clone();
                Arrays.sort(sorted);
                double[] q = new double[2 * levels.size()];
                for (int l = 0; l < levels.size(); l++) {
                    double tail = levels.tail(l);
                    q[2 * l] = quantile(sorted, tail);
                    q[2 * l + 1] = quantile(sorted, 1 - tail);
                }
                quantiles[k * targets + t] = q;
            }
        }
        IntervalScore score = new IntervalScore(levels);
        double[] lo = new double[levels.size()];
        double[] hi = new double[levels.size()];
        for (int i = calibration; i < windows.size(); i++) {
            for (int k = 0; k < h; k++) {
                for (int t = 0; t < targets; t++) {
                    double p = last[(i * h + k) * targets + t];
                    double[] q = quantiles[k * targets + t];
                    for (int l = 0; l < levels.size(); l++) {
                        lo[l] = p + q[2 * l];
                        hi[l] = p + q[2 * l + 1];
                    }
                    score.add(windows.label(i, k, t), lo, hi);
                }
            }
        }
        return score;
    }

    /** The {@code p} quantile of {@code sorted}, linearly interpolated (type 7). */
    static double quantile(double[] sorted, double p) {
        double x = p * (sorted.length - 1);
        int i = (int) Math.floor(x);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (x - i) * (sorted[j] - sorted[i]);
    }
}
