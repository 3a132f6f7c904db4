package io.sensorcast.model.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a training run did: every epoch, the epoch whose weights were kept, and the wall time.
 *
 * @param initialValidationLoss validation MSE before the first epoch (after any warm start); {@code
 *     bestEpoch} 0 means no epoch improved on it
 * @param stoppedEarly whether patience ran out before the last epoch
 */
public record TrainingResult(
        @JsonProperty("initialValidationLoss") double initialValidationLoss,
        @JsonProperty("epochs") List<EpochStats> epochs,
        @JsonProperty("bestEpoch") int bestEpoch,
        @JsonProperty("bestValidationLoss") double bestValidationLoss,
        @JsonProperty("stoppedEarly") boolean stoppedEarly,
        @JsonProperty("seconds") double seconds) {

    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
