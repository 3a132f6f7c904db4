package io.sensorcast.connectors.format;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One forecast, made when a reading arrived: the next {@code horizon} readings of a sensor's
 * targets. Written to the forecasts topic as JSON (key = sensor id).
 *
 * @param sensor the sensor id
 * @param originTs event time of the last reading the forecast saw (ISO-8601)
 * @param steps one entry per horizon step, in time order
 * @param modelGroup the model group whose model made it
 * @param modelVersion that model's version; 0 for the persistence forecast that serves until a
 *     group's first model
 * @param latencyMs wall milliseconds from the reading's arrival in the job to the forecast
 */
public record ForecastRecord(
        @JsonProperty("sensor") String sensor,
        @JsonProperty("origin_ts") String originTs,
        @JsonProperty("steps") List<Step> steps,
        @JsonProperty("model_group") String modelGroup,
        @JsonProperty("model_version") long modelVersion,
        @JsonProperty("latency_ms") double latencyMs) {

    /**
     * One horizon step.
     *
     * @param targetTs the event time forecast (ISO-8601)
     * @param predicted forecast value per target name
     * @param intervals the prediction interval at each coverage level, ascending; empty until the
     *     sensor's errors at this step calibrate it (its first few readings), or when the job gives
     *     no intervals
     */
    public record Step(
            @JsonProperty("target_ts") String targetTs,
            @JsonProperty("predicted") Map<String, Double> predicted,
            @JsonProperty("intervals") List<Interval> intervals) {

        public Step {
            intervals = intervals == null ? List.of() : intervals;
        }

        /** A step without intervals. */
        public Step(String targetTs, Map<String, Double> predicted) {
            this(targetTs, predicted, List.of());
        }
    }

    /**
     * A prediction interval: the reading is meant to fall in {@code [lower, upper]} a fraction
     * {@code level} of the time.
     *
     * @param level the nominal coverage, in (0, 1)
     * @param lower the lower bound per target name
     * @param upper the upper bound per target name
     */
    public record Interval(
            @JsonProperty("level") double level,
            @JsonProperty("lower") Map<String, Double> lower,
            @JsonProperty("upper") Map<String, Double> upper) {}
}
