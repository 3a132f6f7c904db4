package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.nab.Ablation;
import io.sensorcast.evaluation.nab.BaselineDetection.Forecaster;
import io.sensorcast.evaluation.nab.Robustness;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast nab-robustness}: the detector on the corpus resampled, cut short and by
 * category, one table.
 */
@Command(
        name = "nab-robustness",
        mixinStandardHelpOptions = true,
        description = {
            "Score the job's anomaly detector (one configuration for every file) on transformed"
                    + " copies of a NAB corpus: every file resampled to 1, 15 and 60 minutes"
                    + " (averaged where finer, interpolated where coarser, label windows kept in"
                    + " time), cut to its first 1,500 and 2,500 readings, and each category alone"
                    + " and left out. Prints NAB's three scores and the false alarms per 1,000"
                    + " readings at the detector's threshold for each, and each standard score's"
                    + " difference to the corpus as given. Plain Java over a baseline forecaster,"
                    + " as nab-ablation: seconds, not minutes."
        })
public final class NabRobustnessCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin NabData nab = new NabData();

    @Option(
            names = "--forecaster",
            defaultValue = "persistence",
            description = "persistence, seasonal-naive, linear or linear-seasonal.")
    String forecaster;

    @Option(
            names = {"-D", "--conf"},
            paramLabel = "KEY=VALUE",
            description = "A detector option (sensorcast.scoring.*); the defaults otherwise.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Robustness robustness =
                Robustness.of(
                        nab.files(),
                        nab::name,
                        nab.windows(),
                        Ablation.detectorSettings(conf),
                        Forecaster.parse(forecaster));
        List<Robustness.Row> rows = robustness.run(spec.commandLine().getOut());
        if (json != null) {
            Robustness.writeJson(json, forecaster, rows);
        }
        return 0;
    }
}
