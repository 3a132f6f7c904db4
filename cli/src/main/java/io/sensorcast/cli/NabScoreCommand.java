package io.sensorcast.cli;

import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
final class NabScoreCommand implements Callable<Integer> {

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
            description =
                    "standard, reward_low_FP_rate, reward_low_FN_rate or all (default:"
                            + " ${DEFAULT-VALUE}).")
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
        PrintWriter out = spec.commandLine().getOut();
        Path profilesFile =
                profiles != null ? profiles : Defaults.dataDir().resolve("nab/profiles.json");
        Map<String, NabProfile> all = NabProfile.read(profilesFile);
        List<NabProfile> chosen =
                profile.equals("all")
                        ? List.copyOf(all.values())
                        : List.of(
                                java.util.Optional.ofNullable(all.get(profile))
                                        .orElseThrow(
                                                () ->
                                                        new IllegalArgumentException(
                                                                "--profile must be one of "
                                                                        + all.keySet()
                                                                        + " or all, got '"
                                                                        + profile
                                                                        + "'")));
        List<NabScorer.DataFile> corpus = NabCorpus.results(results, NabCorpus.windows(labels));
        long windows = corpus.stream().mapToLong(f -> f.windows().size()).sum();
        out.printf(
                Locale.ROOT,
                "%d files, %d labelled windows, results in %s%n",
                corpus.size(),
                windows,
                results);
        out.printf(
                Locale.ROOT,
                "%-20s %10s %10s %10s %10s %11s%n",
                "profile",
                "threshold",
                "raw",
                "null",
                "perfect",
                "normalised");
        for (NabProfile p : chosen) {
            NabScorer.Result r = new NabScorer(p).score(corpus);
            out.printf(
                    Locale.ROOT,
                    "%-20s %10.4f %10.3f %10.3f %10.3f %11.1f%n",
                    p.name(),
                    r.threshold(),
                    r.score(),
                    r.nullScore(),
                    r.perfectScore(),
                    r.normalized());
            if (perFile) {
                r.byFile().forEach((f, s) -> out.printf(Locale.ROOT, "    %-60s %9.3f%n", f, s));
            }
        }
        return 0;
    }
}
