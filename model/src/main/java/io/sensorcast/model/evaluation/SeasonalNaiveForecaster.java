package io.sensorcast.model.evaluation;

import io.sensorcast.model.dataset.WindowedSeries;

/**
 * The value one season earlier: step {@code h} of the horizon gets the window's value at the same
 * phase of the last full period, {@code x[W − period + (h mod period)]}.
 */
public final class SeasonalNaiveForecaster implements Forecaster {

    private final int period;
    private final int[] targetIndices;

    public SeasonalNaiveForecaster(int period, int[] targetIndices) {
        if (period < 1) {
            throw new IllegalArgumentException("season period must be >= 1, got " + period);
        }
        this.period = period;
        this.targetIndices = targetIndices.clone();
    }

    @Override
    public String name() {
        return "seasonal-naive(" + period + ")";
    }

    @Override
    public float[] predict(WindowedSeries w) {
        if (period > w.window()) {
            throw new IllegalArgumentException(
                    "season period "
                            + period
                            + " must be at most the window ("
                            + w.window()
                            + " rows)");
        }
        int n = w.size();
        int h = w.horizon();
        int t = targetIndices.length;
        float[] out = new float[n * h * t];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < h; s++) {
                int step = w.window() - period + (s % period);
                for (int k = 0; k < t; k++) {
                    out[(i * h + s) * t + k] = w.input(i, step, targetIndices[k]);
                }
            }
        }
        return out;
    }
}
