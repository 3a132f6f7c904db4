package io.sensorcast.model.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How the trainer trains: Adam with a fixed learning rate, gradients clipped to a global L2 norm,
 * shuffled mini-batches, early stopping on validation loss.
 *
 * @param epochs the most epochs to run
 * @param batchSize windows per optimiser step
 * @param learningRate Adam's step size
 * @param clipNorm the largest global gradient norm; larger gradients are scaled down to it
 * @param patience epochs without a validation improvement before stopping; the best epoch's weights
 *     are restored at the end either way
 * @param seed seeds weight initialisation, dropout and shuffling: the same seed, data and thread
 *     count give the same model
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param linearWarmStart start the linear skip path (when the network has one) from its
 *     least-squares fit and the recurrent head from zero, so training starts at the linear baseline
 *     and early stopping can only keep something at least as good on validation
 */
public record TrainingOptions(
        @JsonProperty("epochs") int epochs,
        @JsonProperty("batchSize") int batchSize,
        @JsonProperty("learningRate") double learningRate,
        @JsonProperty("clipNorm") double clipNorm,
        @JsonProperty("patience") int patience,
        @JsonProperty("seed") long seed,
        @JsonProperty("device") String device,
        @JsonProperty("linearWarmStart") boolean linearWarmStart) {

    @JsonCreator
    public TrainingOptions {
        range("epochs", epochs, 1, 100_000);
        range("batchSize", batchSize, 1, 1 << 20);
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException(
                    "learningRate must be in (0, 1], got " + learningRate);
        }
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException(
                    "clipNorm must be a finite number > 0, got " + clipNorm);
        }
        range("patience", patience, 1, 100_000);
        if (!"auto".equals(device) && !"cpu".equals(device) && !"gpu".equals(device)) {
            throw new IllegalArgumentException(
                    "device must be one of auto, cpu, gpu; got '" + device + "'");
        }
    }

    private static void range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /**
     * 20 epochs, batch 64, learning rate 5e-4, clip 1.0, patience 5, seed 42, auto device, linear
     * warm start.
     */
    public static TrainingOptions defaults() {
        return new TrainingOptions(20, 64, 5e-4, 1.0, 5, 42L, "auto", true);
    }

    public TrainingOptions withEpochs(int value) {
        return new TrainingOptions(
                value, batchSize, learningRate, clipNorm, patience, seed, device, linearWarmStart);
    }

    public TrainingOptions withBatchSize(int value) {
        return new TrainingOptions(
                epochs, value, learningRate, clipNorm, patience, seed, device, linearWarmStart);
    }

    public TrainingOptions withLearningRate(double value) {
        return new TrainingOptions(
                epochs, batchSize, value, clipNorm, patience, seed, device, linearWarmStart);
    }

    public TrainingOptions withClipNorm(double value) {
        return new TrainingOptions(
                epochs, batchSize, learningRate, value, patience, seed, device, linearWarmStart);
    }

    public TrainingOptions withPatience(int value) {
        return new TrainingOptions(
                epochs, batchSize, learningRate, clipNorm, value, seed, device, linearWarmStart);
    }

    public TrainingOptions withSeed(long value) {
        return new TrainingOptions(
                epochs,
                batchSize,
                learningRate,
                clipNorm,
                patience,
                value,
                device,
                linearWarmStart);
    }

    public TrainingOptions withLinearWarmStart(boolean value) {
        return new TrainingOptions(
                epochs, batchSize, learningRate, clipNorm, patience, seed, device, value);
    }

    public TrainingOptions withDevice(String value) {
        return new TrainingOptions(
                epochs, batchSize, learningRate, clipNorm, patience, seed, value, linearWarmStart);
    }
}
