package io.sensorcast.cli.model;

import io.sensorcast.cli.options.EngineOptions;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.evaluation.Comparison;
import io.sensorcast.model.manifest.ModelManifest;
import io.sensorcast.model.manifest.TrainingOptions;
import io.sensorcast.model.training.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sensorcast train}: trains a forecaster on a CSV and writes a model artifact. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a (bidirectional) LSTM/GRU forecaster on a CSV and save a model directory.",
            "The CSV has a header; the first column is the timestamp. Rows are split by time into"
                    + " train/validation/test; the scaler sees training rows only."
        })
public final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "Input CSV.")
    Path csv;

    @Option(
            names = "--target",
            required = true,
            split = ",",
            paramLabel = "COL",
            description = "Column(s) to forecast.")
    List<String> targets;

    @Option(
            names = "--features",
            split = ",",
            paramLabel = "COL",
            description = "Input columns (default: the targets only; targets are always inputs).",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    List<String> features = List.of();

    @Option(
            names = "--window",
            defaultValue = "" + NetworkConfig.DEFAULT_WINDOW,
            description = "Input rows.")
    int window;

    @Option(names = "--horizon", defaultValue = "24", description = "Rows forecast.")
    int horizon;

    @Option(names = "--stride", defaultValue = "1", description = "Rows between training windows.")
    int stride;

    @Option(
            names = "--split",
            paramLabel = "TRAIN_END,VAL_END[,TEST_END]",
            description =
                    "Row indices ending train and validation (default: 60%%/20%%/20%% of rows).")
    String split;

    @Mixin NetworkOptions network;

    @Mixin TrainingOptionsMixin training;

    @Option(names = "--season", defaultValue = "24", description = "Seasonal-naive period in rows.")
    int season;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Model directory to write.")
    Path out;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        // Validate everything before the slow parts.
        TrainingOptions options = training.options();
        WindowSpec windows = new WindowSpec(window, horizon, stride);
        TimeSeriesTable table = TimeSeriesTable.readCsv(csv);
        TimeSplit timeSplit = timeSplit(table.rows());
        TrainingRun run =
                new TrainingRun(
                        table,
                        csv.getFileName().toString(),
                        features,
                        targets,
                        windows,
                        timeSplit,
                        season);
        NetworkConfig config = network.build(run);
        engine.apply();
        header(w, config, run, timeSplit);
        try (TrainingRun.Outcome outcome =
                run.train(
                        config,
                        options,
                        stats -> {
                            w.println(stats.format(options.epochs()));
                            w.flush();
                        })) {
            ModelManifest manifest = outcome.manifest();
            printOutcome(w, manifest);
            ModelArtifact.save(out, outcome.trained().block(), manifest);
            w.println("saved model to " + out);
        }
        return 0;
    }

    private void header(PrintWriter w, NetworkConfig config, TrainingRun run, TimeSplit timeSplit) {
        w.printf(
                Locale.ROOT,
                "training %s on %s: features %s, targets %s, split %s%n",
                config,
                csv.getFileName(),
                run.features(),
                targets,
                timeSplit);
        w.flush();
    }

    /** {@code --split}, else 60% training, 20% validation and 20% test rows. */
    private TimeSplit timeSplit(int rows) {
        return split == null ? TimeSplit.fractions(rows, 0.6, 0.2) : TimeSplit.parse(split, rows);
    }

    private static void printOutcome(PrintWriter w, ModelManifest manifest) {
        w.printf(
                Locale.ROOT,
                "training time %.1f s (%d epochs, best epoch %d, validation MSE %.5f)%n",
                manifest.training().seconds(),
                manifest.training().epochs().size(),
                manifest.training().bestEpoch(),
                manifest.training().bestValidationLoss());
        w.println("validation metrics:");
        w.print(Comparison.table(manifest.validation()));
    }
}
