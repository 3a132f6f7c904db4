package io.sensorcast.connectors.format;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A forecast compared with the reading that later arrived for its target time: written for every
 * scored reading to the scores topic, and to the anomalies topic when {@code isAnomaly}. JSON, key
 * = sensor id.
 *
 * @param sensor the sensor id
 * @param originTs event time of the last reading the forecast saw (ISO-8601)
 * @param targetTs event time of the reading scored (ISO-8601)
 * @param target the target name ({@code value} for univariate sensors)
 * @param predicted the forecast value
 * @param actual the value that arrived
 * @param residual {@code actual − predicted}
 * @param score anomaly score in [0, 1]
 * @param alertScore the score at the onset of an excursion (above the sensor's previous scores in
 *     the short window), else 0: one alert per departure
 * @param threshold the alert score at or above which a reading is flagged
 * @param isAnomaly {@code alertScore >= threshold}
 * @param modelGroup the model group whose model made the forecast
 * @param modelVersion that model's version
 * @param latencyMs wall milliseconds from the actual reading's arrival in the job to this score
 * @param intervals the band the forecast gave this reading at each coverage level, ascending (empty
 *     where it gave none)
 */
public record ScoreRecord(
        @JsonProperty("sensor") String sensor,
        @JsonProperty("origin_ts") String originTs,
        @JsonProperty("target_ts") String targetTs,
        @JsonProperty("target") String target,
        @JsonProperty("predicted") double predicted,
        @JsonProperty("actual") double actual,
        @JsonProperty("residual") double residual,
        @JsonProperty("score") double score,
        @JsonProperty("alert_score") double alertScore,
        @JsonProperty("threshold") double threshold,
        @JsonProperty("is_anomaly") boolean isAnomaly,
        @JsonProperty("model_group") String modelGroup,
        @JsonProperty("model_version") long modelVersion,
        @JsonProperty("latency_ms") double latencyMs,
        @JsonProperty("intervals") List<Band> intervals) {

    public ScoreRecord {
        intervals = intervals == null ? List.of() : intervals;
    }

    /**
     * A forecast's prediction interval for the reading scored.
     *
     * @param level the nominal coverage, in (0, 1)
     */
    public record Band(
            @JsonProperty("level") double level,
            @JsonProperty("lower") double lower,
            @JsonProperty("upper") double upper) {}
}
