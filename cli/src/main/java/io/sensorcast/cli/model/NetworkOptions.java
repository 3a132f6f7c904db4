package io.sensorcast.cli.model;

import io.sensorcast.model.block.Cell;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.training.TrainingRun;
import picocli.CommandLine.Option;

/** {@code sensorcast train}'s options for the network's shape. */
final class NetworkOptions {

    @Option(names = "--cell", defaultValue = "LSTM", description = "LSTM or GRU.")
    Cell cell;

    @Option(names = "--layers", defaultValue = "1", description = "Stacked layers.")
    int layers;

    @Option(names = "--hidden", defaultValue = "32", description = "Hidden units per direction.")
    int hidden;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout between layers.")
    float dropout;

    @Option(
            names = "--bidirectional",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Read the window both ways (default: ${DEFAULT-VALUE}).")
    boolean bidirectional;

    @Option(
            names = "--linear-skip",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Add a linear window-to-horizon path (default: ${DEFAULT-VALUE}).")
    boolean linearSkip;

    @Option(
            names = "--window-normalization",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Forecast changes from each window's last value (default: ${DEFAULT-VALUE}).")
    boolean windowNormalization;

    /** The network these options describe, for the run's data. */
    NetworkConfig build(TrainingRun run) {
        return run.network()
                .optCell(cell)
                .optLayers(layers)
                .optHiddenSize(hidden)
                .optDropout(dropout)
                .optBidirectional(bidirectional)
                .optLinearSkip(linearSkip)
                .optWindowNormalization(windowNormalization)
                .build();
    }
}
