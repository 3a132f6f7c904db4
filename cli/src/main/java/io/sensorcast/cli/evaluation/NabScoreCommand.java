package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.BundledData;
import io.sensorcast.evaluation.nab.ScoreTable;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensorcast nab-score}: NAB's scoring of a detector's results files. */
@Command(
        name = "nab-score",
        mixinStandardHelpOptions = true,
        description = {
            "Score a detector's NAB results files (<results>/<category>/<detector>_<file>.csv with"
                    + " timestamp and anomaly_score columns) as NAB does: scaled-sigmoid window"
                    + " scoring, probationary period, one threshold optimised over the corpus,"
                    + " normalised between the null and the perfect detector."
        })
public final class NabScoreCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--results",
            required = true,
            paramLabel = "DIR",
            description = "One detector's results: DIR/<category>/<detector>_<file>.csv.")
    Path results;

    @Option(
            names = "--labels",
            required = true,
            paramLabel = "FILE",
            description = "NAB's combined_windows.json.")
    Path labels;

    @Option(
            names = "--profile",
            defaultValue = "all",
            description = "standard, reward_low_FP_rate, reward_low_FN_rate or all" + ".")
    String profile;

    @Option(
            names = "--profiles",
            paramLabel = "FILE",
            description = "NAB's profiles.json (default: the bundled data/nab/profiles.json).")
    Path profiles;

    @Option(names = "--per-file", description = "Also print each file's score.")
    boolean perFile;

    @Override
    public Integer call() throws Exception {
        List<NabScorer.DataFile> corpus = NabCorpus.results(results, NabCorpus.windows(labels));
        ScoreTable.print(
                spec.commandLine().getOut(), chosen(), corpus, results.toString(), perFile);
        return 0;
    }

    /** The profiles {@code --profile} names, from {@code --profiles}. */
    private List<NabProfile> chosen() throws IOException {
        Path profilesFile =
                profiles != null ? profiles : BundledData.dir().resolve("nab/profiles.json");
        Map<String, NabProfile> all = NabProfile.read(profilesFile);
        if (profile.equals("all")) {
            return List.copyOf(all.values());
        }
        NabProfile p = all.get(profile);
        if (p == null) {
            throw new IllegalArgumentException(
                    "--profile must be one of " + all.keySet() + " or all, got '" + profile + "'");
        }
        return List.of(p);
    }
}
