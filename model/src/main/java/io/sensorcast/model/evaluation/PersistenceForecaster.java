package io.sensorcast.model.evaluation;

import io.sensorcast.model.dataset.WindowedSeries;

/**
 * The last observed value of each target, repeated over the horizon: seasonal naive with a period
 * of one row.
 */
public final class PersistenceForecaster implements Forecaster {

    private final SeasonalNaiveForecaster lastValue;

    /**
     * @param targetIndices the input features that are the targets
     */
    public PersistenceForecaster(int[] targetIndices) {
        this.lastValue = new SeasonalNaiveForecaster(1, targetIndices);
    }

    @Override
    public String name() {
        return "persistence";
    }

    @Override
    public float[] predict(WindowedSeries w) {
        return lastValue.predict(w);
    }
}
