package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.nab.Ablation;
import io.sensorcast.evaluation.nab.BaselineDetection.Forecaster;
import io.sensorcast.evaluation.nab.Robustness;
import io.sensorcast.evaluation.nab.SyntheticAnomalies;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast nab-ablation}: the anomaly detector with each baseline forecaster and without
 * each of its parts, NAB-scored on a corpus; with {@code --forecasts}, also on the forecasts a
 * {@code sensorcast nab} run (the BiLSTM's) recorded.
 */
@Command(
        name = "nab-ablation",
        mixinStandardHelpOptions = true,
        description = {
            "Run the job's anomaly detector (same class, same defaults) over every NAB file with a"
                    + " baseline forecaster — persistence, seasonal naive (a day before), linear"
                    + " (least squares on the last 48 readings, refit on sensorcast nab's"
                    + " retraining schedule), linear with the readings a day and a week before as"
                    + " seasonal channels — and without each of its parts, and print NAB's"
                    + " three scores for each; with --forecasts, the same for the forecasts a"
                    + " sensorcast nab run recorded (the BiLSTM's). Plain Java, no Kafka or Flink:"
                    + " seconds, not minutes.",
            "With --table robustness, the full detector on the corpus resampled to 1, 15 and"
                    + " 60 minutes, cut to its first 1,500 and 2,500 readings and by category;"
                    + " with --table synthetic, on seeded synthetic anomalies of six types and"
                    + " three sizes in real series without anomalies (docs/detector.md)."
        })
public final class NabAblationCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin NabData nab = new NabData();

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Also write each forecaster's full-detector results as NAB results files,"
                            + " DIR/sensorcast-<forecaster>/<category>/..., for nab-score"
                            + " --per-file.")
    Path resultsDir;

    @Option(
            names = "--forecasts",
            paramLabel = "DIR",
            description =
                    "Also run every variant on the forecasts a sensorcast nab run recorded"
                            + " (<out>/<detector>-forecasts of that run): the BiLSTM's rows"
                            + " without a live run each. The full detector's row reproduces that"
                            + " run's scores.")
    Path recorded;

    @Option(
            names = {"-D", "--conf"},
            paramLabel = "KEY=VALUE",
            description =
                    "A detector option (sensorcast.scoring.*) for every row, e.g. -D"
                            + " sensorcast.scoring.tail-scale=6; the defaults otherwise.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Map<String, String> conf = new LinkedHashMap<>();

    /** Which table: the ablation, or the same detector on the corpus' or synthetic variants. */
    enum Table {
        ABLATION,
        ROBUSTNESS,
        SYNTHETIC
    }

    @Option(names = "--table", defaultValue = "ablation", description = "${COMPLETION-CANDIDATES}.")
    Table table;

    @Option(names = "--seed", defaultValue = "1", description = "The synthetic anomalies' seed.")
    long seed;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "With --table robustness or synthetic: also write the rows as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        DetectorSettings detector = Ablation.detectorSettings(conf);
        PrintWriter out = spec.commandLine().getOut();
        switch (table) {
            case ROBUSTNESS ->
                    Robustness.of(
                                    nab.files(),
                                    nab::name,
                                    nab.windows(),
                                    detector,
                                    Forecaster.PERSISTENCE)
                            .run(out, json);
            case SYNTHETIC -> SyntheticAnomalies.bundled(detector, seed).run(out, json);
            case ABLATION ->
                    new Ablation(nab.files(), nab::name, nab.windows(), detector, resultsDir)
                            .run(recorded, out);
        }
        return 0;
    }
}
