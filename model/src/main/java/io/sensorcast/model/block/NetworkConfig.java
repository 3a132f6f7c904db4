package io.sensorcast.model.block;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * The architecture of a {@link ForecastBlock}: what must match for saved parameters to load.
 *
 * <p>Built with {@link #builder()}; construction rejects values out of range with a message that
 * names the field and the allowed range.
 *
 * @param targetIndices which input features are forecast, in output order
 * @param linearSkip whether a linear path from each target's window to its horizon is added to the
 *     head
 * @param windowNormalization whether each window is shifted so its last step is zero before the
 *     network reads it, and the targets' last values are added back to the output: the network
 *     forecasts changes from the last reading, which keeps it calibrated when the series' level
 *     drifts away from the training period's
 * @param skipRecentSteps how many of the window's newest steps of every feature (a target's
 *     seasonal channels, its covariates) the linear skip path reads besides each target's own
 *     window; 0 (the target's window only) in manifests written before it existed
 */
public record NetworkConfig(
        @JsonProperty("cell") Cell cell,
        @JsonProperty("layers") int layers,
        @JsonProperty("hiddenSize") int hiddenSize,
        @JsonProperty("dropout") float dropout,
        @JsonProperty("bidirectional") boolean bidirectional,
        @JsonProperty("inputFeatures") int inputFeatures,
        @JsonProperty("window") int window,
        @JsonProperty("horizon") int horizon,
        @JsonProperty("targetIndices") int[] targetIndices,
        @JsonProperty("linearSkip") boolean linearSkip,
        @JsonProperty("windowNormalization") boolean windowNormalization,
        @JsonProperty("skipRecentSteps") int skipRecentSteps) {

    public NetworkConfig {
        targetIndices = targetIndices == null ? null : targetIndices.clone();
        if (cell == null) {
            throw new IllegalArgumentException("cell must be one of LSTM, GRU");
        }
        checkRange("layers", layers, 1, 16);
        checkRange("hiddenSize", hiddenSize, 1, 4096);
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        checkRange("inputFeatures", inputFeatures, 1, 4096);
        checkRange("window", window, 1, 100_000);
        checkRange("horizon", horizon, 1, 10_000);
        checkRange("skipRecentSteps", skipRecentSteps, 0, window);
        if (targetIndices == null || targetIndices.length == 0) {
            throw new IllegalArgumentException(
                    "targetIndices must name at least one input feature");
        }
        for (int t : targetIndices) {
            if (t < 0 || t >= inputFeatures) {
                throw new IllegalArgumentException(
                        "targetIndices must be in [0, "
                                + (inputFeatures - 1)
                                + "] (the input features), got "
                                + t);
            }
        }
        if (Arrays.stream(targetIndices).distinct().count() != targetIndices.length) {
            throw new IllegalArgumentException(
                    "targetIndices must not repeat, got " + Arrays.toString(targetIndices));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void checkRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** Which input features are forecast, in output order (a copy). */
    @Override
    public int[] targetIndices() {
        return targetIndices.clone();
    }

    public int targets() {
        return targetIndices.length;
    }

    public int directions() {
        return bidirectional ? 2 : 1;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NetworkConfig)) {
            return false;
        }
        NetworkConfig c = (NetworkConfig) o;
        return cell == c.cell
                && layers == c.layers
                && hiddenSize == c.hiddenSize
                && Float.compare(dropout, c.dropout) == 0
                && bidirectional == c.bidirectional
                && inputFeatures == c.inputFeatures
                && window == c.window
                && horizon == c.horizon
                && Arrays.equals(targetIndices, c.targetIndices)
                && linearSkip == c.linearSkip
                && windowNormalization == c.windowNormalization
                && skipRecentSteps == c.skipRecentSteps;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(targetIndices)
                + java.util.Objects.hash(
                        cell,
                        layers,
                        hiddenSize,
                        dropout,
                        bidirectional,
                        inputFeatures,
                        window,
                        horizon,
                        linearSkip,
                        windowNormalization,
                        skipRecentSteps);
    }

    @Override
    public String toString() {
        return (bidirectional ? "Bi" : "")
                + cell
                + "(layers="
                + layers
                + ", hidden="
                + hiddenSize
                + ", dropout="
                + dropout
                + ", features="
                + inputFeatures
                + ", window="
                + window
                + ", horizon="
                + horizon
                + ", targets="
                + Arrays.toString(targetIndices)
                + ", linearSkip="
                + linearSkip
                + ", windowNormalization="
                + windowNormalization
                + (skipRecentSteps > 0 ? ", skipRecentSteps=" + skipRecentSteps : "")
                + ")";
    }

    /**
     * The readings a network reads where no one says: {@code sensorcast.retrain.window}'s default,
     * and {@code train}'s and {@code bench}'s.
     */
    public static final int DEFAULT_WINDOW = 48;

    /**
     * Builds a {@link NetworkConfig}: {@code set*} for required values, {@code opt*} for others.
     */
    public static final class Builder {
        private Cell cell = Cell.LSTM;
        private int layers = 1;
        private int hiddenSize = 32;
        private float dropout;
        private boolean bidirectional = true;
        private int inputFeatures = 1;
        private int window = -1;
        private int horizon = -1;
        private int[] targetIndices = {0};
        private boolean linearSkip = true;
        private boolean windowNormalization = true;
        private int skipRecentSteps;

        private Builder() {}

        public Builder setWindow(int window) {
            this.window = window;
            return this;
        }

        public Builder setHorizon(int horizon) {
            this.horizon = horizon;
            return this;
        }

        public Builder optCell(Cell cell) {
            this.cell = cell;
            return this;
        }

        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder optHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        /** Dropout between stacked layers while training (torch's semantics). */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder optBidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return this;
        }

        public Builder optInputFeatures(int inputFeatures) {
            this.inputFeatures = inputFeatures;
            return this;
        }

        public Builder optTargetIndices(int... targetIndices) {
            this.targetIndices = targetIndices.clone();
            return this;
        }

        public Builder optLinearSkip(boolean linearSkip) {
            this.linearSkip = linearSkip;
            return this;
        }

        public Builder optWindowNormalization(boolean windowNormalization) {
            this.windowNormalization = windowNormalization;
            return this;
        }

        /**
         * How many of the newest steps of every feature the linear skip path reads besides each
         * target's own window.
         */
        public Builder optSkipRecentSteps(int skipRecentSteps) {
            this.skipRecentSteps = skipRecentSteps;
            return this;
        }

        public NetworkConfig build() {
            return new NetworkConfig(
                    cell,
                    layers,
                    hiddenSize,
                    dropout,
                    bidirectional,
                    inputFeatures,
                    window,
                    horizon,
                    targetIndices,
                    linearSkip,
                    windowNormalization,
                    skipRecentSteps);
        }
    }
}
