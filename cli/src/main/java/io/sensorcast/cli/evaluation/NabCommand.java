package io.sensorcast.cli.evaluation;

import io.sensorcast.cli.options.ServingEngineOption;
import io.sensorcast.evaluation.nab.NabCoverage;
import io.sensorcast.evaluation.nab.NabResults;
import io.sensorcast.evaluation.nab.NabRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast nab}: the NAB corpus through the live pipeline, with online retraining, into
 * NAB results files; then NAB's score.
 */
@Command(
        name = "nab",
        mixinStandardHelpOptions = true,
        description = {
            "Stream every NAB file (one sensor each) through Kafka into ForecastJob with online"
                    + " retraining, and write NAB results files"
                    + " <out>/<detector>/<category>/<detector>_<file>.csv (timestamp, value,"
                    + " anomaly_score, label; one row per input row). Models only ever see data"
                    + " already replayed: persistence forecasts serve until a sensor's first model,"
                    + " which is trained after --first-model-after readings and retrained every"
                    + " --retrain-every readings, as a live deployment would schedule it (no use"
                    + " of a file's length). Files go one after another, each"
                    + " on a clock moved to start after the previous file (intervals unchanged)."
                    + " The anomaly_score written is the alert score (the score at the onset of"
                    + " an excursion, else 0), the same that flags anomalies in the job. The"
                    + " forecast each row was scored against goes to"
                    + " <out>/<detector>-forecasts/<category>/<file>.csv, for nab-ablation"
                    + " --forecasts."
        })
public final class NabCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin NabData nab = new NabData();

    @CommandLine.Mixin ServingEngineOption serving = new ServingEngineOption();

    @Option(
            names = "--out",
            defaultValue = "nab-results",
            paramLabel = "DIR",
            description = "Results root.")
    Path out;

    @Option(
            names = "--detector",
            defaultValue = "sensorcast",
            description = "Detector name in the results.")
    String detector;

    @Option(
            names = "--first-model-after",
            defaultValue = "500",
            paramLabel = "N",
            description = "Readings of a sensor before its first model.")
    int firstModelAfter;

    @Option(
            names = "--retrain-every",
            defaultValue = "3000",
            paramLabel = "N",
            description = "Readings between retraining rounds.")
    int retrainEvery;

    @Option(names = "--epochs", defaultValue = "10", description = "Training epochs per round.")
    int epochs;

    @Option(
            names = {"-D", "--conf"},
            paramLabel = "KEY=VALUE",
            description =
                    "A job option (sensorcast.*) over the run's own, e.g. -D"
                            + " sensorcast.scoring.tail-scale=6.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Map<String, String> conf = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        NabResults results = new NabResults(out, detector, nab.windows());
        List<Path> files = nab.files();
        long began = System.nanoTime();
        NabRun run = new NabRun(firstModelAfter, retrainEvery, epochs, serving.engine, conf, o);
        NabCoverage coverage = new NabCoverage();
        for (NabRun.Scored f : run.run(files)) {
            results.write(nab.name(f.file()), f);
            coverage.add(f, nab.windows().getOrDefault(nab.name(f.file()), List.of()));
        }
        results.printScores(o, began);
        coverage.print(o);
        return 0;
    }
}
