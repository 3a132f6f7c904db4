package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.nab.Ablation;
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
                    + " seconds, not minutes."
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

    @Override
    public Integer call() throws Exception {
        Ablation ablation =
                new Ablation(
                        nab.files(),
                        nab::name,
                        nab.windows(),
                        Ablation.detectorSettings(conf),
                        resultsDir);
        ablation.run(recorded, spec.commandLine().getOut());
        return 0;
    }
}
