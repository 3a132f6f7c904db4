package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.SensorReading;

/**
 * A forecast together with the newest reading of the window it was made from: the reading settles
 * the sensor's previous forecast, the forecast waits for the next reading. What the forecasting
 * operator hands to the scorer chained behind it, so a sensor's forecasts and readings meet in one
 * keyed operator without another shuffle. Or, with {@link #late} set and nothing else, a late
 * reading on its way to the job's one sink. A Flink POJO.
 */
public final class WindowForecast {

    /** A reading that came behind the watermark (and nothing else is set), else null. */
    public SensorReading late;

    /** The forecast as published. */
    public ForecastRecord forecast;

    /** Event time of the window's newest reading (the forecast's origin), epoch ms. */
    public long origin;

    /** Event time of the reading before it; {@link Long#MIN_VALUE} when the window has one step. */
    public long previous;

    /** Processing time at which the newest reading entered the job. */
    public long ingestMillis;

    /** Feature names of {@link #latest}. */
    public String[] names;

    /** The newest reading's value per name. */
    public double[] latest;

    public WindowForecast() {}

    /** {@code forecast}, made from {@code window}. */
    public static WindowForecast of(ForecastRecord forecast, SensorWindow window) {
        WindowForecast f = new WindowForecast();
        f.forecast = forecast;
        f.origin = window.timestamp;
        int steps = window.steps();
        f.previous = steps < 2 ? Long.MIN_VALUE : window.timestamps[steps - 2];
        f.ingestMillis = window.ingestMillis;
        f.names = window.names;
        f.latest = new double[window.names.length];
        for (int c = 0; c < f.latest.length; c++) {
            f.latest[c] = window.latest(c);
        }
        return f;
    }

    /** {@code reading}, late. */
    public static WindowForecast late(SensorReading reading) {
        WindowForecast f = new WindowForecast();
        f.late = reading;
        return f;
    }

    /** The sensor, the scorer's key. */
    public String sensor() {
        return late != null ? late.sensor : forecast.sensor();
    }
}
