package io.sensorcast.model.evaluation;

import io.sensorcast.model.dataset.WindowedSeries;

/** The last observed value of each target, repeated over the horizon. */
public final class PersistenceForecaster implements Forecaster {

    private final int[] targetIndices;

    /**
     * @param targetIndices the input features that are the targets
     */
    public PersistenceForecaster(int[] targetIndices) {
        this.targetIndices = targetIndices.clone();
    }

    @Override
    public String name() {
        return "persistence";
    }

    @Override
    public float[] predict(WindowedSeries w) {
        int n = w.size();
        int h = w.horizon();
        int t = targetIndices.length;
        float[] out = new float[n * h * t];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < h; s++) {
                for (int k = 0; k < t; k++) {
                    out[(i * h + s) * t + k] = w.input(i, w.window() - 1, targetIndices[k]);
                }
            }
        }
        return out;
    }
}
