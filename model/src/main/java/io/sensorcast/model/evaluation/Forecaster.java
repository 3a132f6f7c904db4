package io.sensorcast.model.evaluation;

import io.sensorcast.model.dataset.WindowedSeries;

/** Anything that forecasts every window of a {@link WindowedSeries}, on the standardised scale. */
public interface Forecaster {

    /** A short name for reports. */
    String name();

    /** Forecasts {@code (n, horizon, targets)}, row-major, standardised. */
    float[] predict(WindowedSeries windows);
}
