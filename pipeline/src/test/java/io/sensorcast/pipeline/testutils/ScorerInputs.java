package io.sensorcast.pipeline.testutils;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.pipeline.operators.SensorWindow;
import io.sensorcast.pipeline.operators.WindowForecast;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Forecasts as the scorer receives them, built from a sensor's readings. */
public final class ScorerInputs {

    /**
     * Detector settings for readings a minute apart: levels of three errors, 50 minutes of history
     * re-estimated every 10, five levels and five readings of warm-up, 10 minutes of rest.
     */
    public static final DetectorSettings MINUTE_SETTINGS =
            new DetectorSettings(
                    3,
                    Duration.ofMinutes(50),
                    Duration.ofMinutes(10),
                    5,
                    0.001,
                    5,
                    0.02,
                    5,
                    0.5,
                    Duration.ofMinutes(10),
                    4032,
                    0.5);

    private ScorerInputs() {}

    public static String iso(long t) {
        return Instant.ofEpochMilli(t).toString();
    }

    /**
     * The forecast {@code predicted} made at {@code t} from a two-step window whose newest reading,
     * at {@code t}, is {@code value} and whose step before is at {@code previous}.
     */
    public static WindowForecast made(
            String sensor, long previous, long t, double value, double predicted) {
        SensorWindow w = new SensorWindow();
        w.sensor = sensor;
        w.timestamp = t;
        w.names = new String[] {"value"};
        w.timestamps = new long[] {previous, t};
        w.values = new double[] {0, value};
        return WindowForecast.of(
                new ForecastRecord(
                        sensor,
                        iso(t),
                        List.of(
                                new ForecastRecord.Step(
                                        iso(t + 60_000), Map.of("value", predicted))),
                        sensor,
                        1,
                        0),
                w);
    }

    /** The persistence forecast made from a sensor's one-reading window. */
    public static WindowForecast first(String sensor, long t, double value) {
        SensorWindow w = new SensorWindow();
        w.sensor = sensor;
        w.timestamp = t;
        w.names = new String[] {"value"};
        w.timestamps = new long[] {t};
        w.values = new double[] {value};
        return WindowForecast.of(
                new ForecastRecord(
                        sensor,
                        iso(t),
                        List.of(new ForecastRecord.Step(iso(t + 300_000), Map.of("value", value))),
                        sensor,
                        0,
                        0),
                w);
    }
}
