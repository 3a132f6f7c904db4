package io.sensorcast.model.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** One epoch: mean training loss, validation loss (MSE, standardised) and wall seconds. */
public record EpochStats(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("trainLoss") double trainLoss,
        @JsonProperty("validationLoss") double validationLoss,
        @JsonProperty("seconds") double seconds) {

    /** A progress line, e.g. {@code epoch 3/20 loss 0.1234 val 0.2345 4.1s}. */
    public String format(int epochs) {
        return String.format(
                Locale.ROOT,
                "epoch %3d/%d  loss %.5f  val %.5f  %.1fs",
                epoch,
                epochs,
                trainLoss,
                validationLoss,
                seconds);
    }
}
