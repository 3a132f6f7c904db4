package io.sensorcast.connectors.format;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One retraining decision for a model group, written to the retrain-reports topic (key = group) and
 * the log. Errors are normalised mean squared errors of one-step forecasts on the hold-out slice
 * (MSE over the slice's variance, averaged over targets), so they compare across sensors.
 *
 * @param group the model group
 * @param decision PROMOTED, REJECTED, SKIPPED or FAILED
 * @param reason why, in words (e.g. "candidate 0.41 beats current 0.52 and persistence 0.47")
 * @param version the version published; 0 unless promoted
 * @param currentVersion the version in the store before; 0 when the group had none
 * @param candidateError the candidate's error; NaN when it was not trained
 * @param currentError the current model's error; NaN when there is none
 * @param baselineErrors error per baseline (persistence, seasonal naive)
 * @param sensors sensors whose readings were used
 * @param readings readings used
 * @param dataFrom first reading's event time (ISO-8601), null without data
 * @param dataTo last reading's event time (ISO-8601)
 * @param durationMs wall time of the decision, training included
 * @param finishedAt when it was made (ISO-8601)
 */
public record RetrainReport(
        @JsonProperty("group") String group,
        @JsonProperty("decision") String decision,
        @JsonProperty("reason") String reason,
        @JsonProperty("version") long version,
        @JsonProperty("current_version") long currentVersion,
        @JsonProperty("candidate_error") double candidateError,
        @JsonProperty("current_error") double currentError,
        @JsonProperty("baseline_errors") Map<String, Double> baselineErrors,
        @JsonProperty("sensors") int sensors,
        @JsonProperty("readings") int readings,
        @JsonProperty("data_from") String dataFrom,
        @JsonProperty("data_to") String dataTo,
        @JsonProperty("duration_ms") long durationMs,
        @JsonProperty("finished_at") String finishedAt) {

    public static final String PROMOTED = "PROMOTED";
    public static final String REJECTED = "REJECTED";
    public static final String SKIPPED = "SKIPPED";
    public static final String FAILED = "FAILED";
}
