package io.sensorcast.connectors.format;

import java.util.Objects;

/**
 * One record the forecasting job writes, and the output topic it goes to. The job's outputs (its
 * forecasts, scores, anomalies and late readings) leave through one Kafka sink per delivery
 * guarantee, which picks each record's topic from {@link #topic}: an exactly-once sink opens a
 * transaction at every checkpoint and commits it after, each a round trip to the broker that the
 * task waits for, so one exactly-once sink instead of three or four shortens the task's stop at
 * each checkpoint (docs/performance.md).
 *
 * <p>An anomaly is written twice, as a score and as an anomaly: two records.
 *
 * @param topic where the record goes
 * @param forecast the forecast, for {@link Topic#FORECASTS}, else null
 * @param score the score, for {@link Topic#SCORES} and {@link Topic#ANOMALIES}, else null
 * @param reading the late reading, for {@link Topic#LATE}, else null
 */
public record Published(
        Topic topic, ForecastRecord forecast, ScoreRecord score, SensorReading reading) {

    /** The forecasting job's output topics. */
    public enum Topic {
        FORECASTS,
        SCORES,
        ANOMALIES,
        LATE
    }

    public Published {
        Objects.requireNonNull(topic, "topic");
        boolean matches =
                switch (topic) {
                    case FORECASTS -> forecast != null && score == null && reading == null;
                    case SCORES, ANOMALIES -> forecast == null && score != null && reading == null;
                    case LATE -> forecast == null && score == null && reading != null;
                };
        if (!matches) {
            throw new IllegalArgumentException("a " + topic + " record must carry its value only");
        }
    }

    public static Published forecast(ForecastRecord forecast) {
        return new Published(Topic.FORECASTS, forecast, null, null);
    }

    public static Published score(ScoreRecord score) {
        return new Published(Topic.SCORES, null, score, null);
    }

    public static Published anomaly(ScoreRecord score) {
        return new Published(Topic.ANOMALIES, null, score, null);
    }

    public static Published late(SensorReading reading) {
        return new Published(Topic.LATE, null, null, reading);
    }
}
