package io.sensorcast.cli.model;

import io.sensorcast.model.manifest.TrainingOptions;
import picocli.CommandLine.Option;

/** {@code sensorcast train}'s options for the training loop. */
final class TrainingOptionsMixin {

    @Option(
            names = "--linear-warm-start",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Start the skip path from its least-squares fit and the head from zero"
                            + " (default: ${DEFAULT-VALUE}).")
    boolean linearWarmStart;

    @Option(names = "--epochs", defaultValue = "20", description = "Most epochs.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Windows per step.")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.0005", description = "Adam learning rate.")
    double learningRate;

    @Option(names = "--clip-norm", defaultValue = "1.0", description = "Global gradient-norm clip.")
    double clipNorm;

    @Option(
            names = "--patience",
            defaultValue = "5",
            description = "Early-stopping patience in epochs.")
    int patience;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
    long seed;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu.")
    String device;

    /** The options as the training loop takes them; a bad value fails naming it. */
    TrainingOptions options() {
        return new TrainingOptions(
                epochs, batchSize, learningRate, clipNorm, patience, seed, device, linearWarmStart);
    }
}
