package io.sensorcast.cli.model;

import io.sensorcast.cli.options.EngineOptions;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.evaluation.Comparison;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.OnlineIntervals;
import io.sensorcast.model.manifest.ModelManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sensorcast evaluate}: test metrics of a saved model beside the three baselines. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Score a saved model on the test rows of a CSV beside the persistence, seasonal-naive"
                    + " and linear baselines (the linear one fit on the same training rows).",
            "Uses the model's own scaler, features and split unless --split is given."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model directory.")
    Path modelDir;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "CSV to score.")
    Path csv;

    @Option(
            names = "--split",
            paramLabel = "TRAIN_END,VAL_END[,TEST_END]",
            description = "Row split (default: the one the model was trained with).")
    String split;

    @Option(names = "--season", description = "Seasonal-naive period (default: the model's).")
    Integer season;

    @Option(
            names = "--interval-levels",
            split = ",",
            paramLabel = "LEVEL[,LEVEL...]",
            defaultValue = "0.8,0.95",
            description = "Coverage levels of the prediction intervals, each in (0, 1).")
    List<Double> levels;

    @Option(
            names = "--interval-rate",
            defaultValue = "" + OnlineIntervals.DEFAULT_RATE,
            description =
                    "How fast the intervals' quantile trackers move, in error scales per"
                            + " reading (sensorcast.forecast.interval-rate).")
    double intervalRate;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        IntervalLevels intervalLevels = intervalLevels();
        engine.apply();
        try (ForecastModel model = ModelArtifact.load(modelDir)) {
            ModelManifest m = model.manifest();
            TimeSeriesTable table = TimeSeriesTable.readCsv(csv).select(m.features());
            TimeSplit timeSplit = split(m, table);
            Comparison.OfModel c =
                    Comparison.ofModel(
                            model,
                            table,
                            timeSplit,
                            season == null ? m.seasonPeriod() : season,
                            intervalLevels,
                            intervalRate);
            header(w, m, timeSplit, c.windows());
            results(w, m, c);
        }
        return 0;
    }

    private IntervalLevels intervalLevels() {
        if (!(intervalRate > 0 && intervalRate <= 1)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--interval-rate must be in (0, 1], got " + intervalRate);
        }
        try {
            return IntervalLevels.of(levels);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--interval-levels: " + e.getMessage());
        }
    }

    /** {@code --split}, or the model's own; either must end within the table. */
    private TimeSplit split(ModelManifest m, TimeSeriesTable table) {
        TimeSplit timeSplit =
                split == null ? m.data().split() : TimeSplit.parse(split, table.rows());
        if (timeSplit.testEnd() > table.rows()) {
            throw new IllegalArgumentException(
                    "split ends at row "
                            + timeSplit.testEnd()
                            + " but "
                            + csv
                            + " has "
                            + table.rows()
                            + " rows; pass --split");
        }
        return timeSplit;
    }

    private static void results(PrintWriter w, ModelManifest m, Comparison.OfModel c) {
        w.print(Comparison.table(c.results()));
        w.printf(Locale.ROOT, "model MSE / best baseline's: %.3f%n", c.ratioToBestBaseline());
        w.printf(
                Locale.ROOT,
                "intervals on the test windows, standardised (the model's calibrated online"
                        + " from the first validation window on):%n");
        c.intervals().forEach((name, score) -> w.print(score.lines(name)));
        w.printf(
                Locale.ROOT,
                "training time %.1f s (%d epochs, best epoch %d)%n",
                m.training().seconds(),
                m.training().epochs().size(),
                m.training().bestEpoch());
    }

    private void header(PrintWriter w, ModelManifest m, TimeSplit timeSplit, int windows) {
        w.printf(
                Locale.ROOT,
                "model %s: %s%ntest rows [%d, %d) of %s: %d windows, window %d, horizon %d,"
                        + " targets %s%n",
                modelDir,
                m.network(),
                timeSplit.validationEnd(),
                timeSplit.testEnd(),
                csv.getFileName(),
                windows,
                m.window(),
                m.horizon(),
                m.targets());
    }
}
