package io.sensorcast.evaluation.nab;

import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** NAB's scores of a corpus of results, one row per application profile. */
public final class ScoreTable {

    private ScoreTable() {}

    /**
     * Prints the corpus' size, then each profile's threshold, raw, null, perfect and normalised
     * score; with {@code perFile}, each file's raw score under its profile's row.
     */
    public static void print(
            PrintWriter out,
            List<NabProfile> profiles,
            List<NabScorer.DataFile> corpus,
            String source,
            boolean perFile) {
        long windows = corpus.stream().mapToLong(f -> f.windows().size()).sum();
        out.printf(
                Locale.ROOT,
                "%d files, %d labelled windows, results in %s%n",
                corpus.size(),
                windows,
                source);
        out.printf(
                Locale.ROOT,
                "%-20s %10s %10s %10s %10s %11s%n",
                "profile",
                "threshold",
                "raw",
                "null",
                "perfect",
                "normalised");
        for (NabProfile p : profiles) {
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
    }
}
