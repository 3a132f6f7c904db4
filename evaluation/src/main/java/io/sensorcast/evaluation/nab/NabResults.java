package io.sensorcast.evaluation.nab;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.evaluation.BundledData;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A detector's NAB results under a results root, as NAB lays them out: {@code
 * <root>/<detector>/<category>/<detector>_<file>.csv}, and the forecasts it scored against under
 * {@code <root>/<detector>-forecasts}.
 */
public record NabResults(Path root, String detector, Map<String, List<NabScorer.Window>> windows) {

    /**
     * One file's results file, {@code name} its labels key: a row per input row, the alert score as
     * anomaly score; and its recorded forecasts.
     */
    public void write(String name, NabRun.Scored scored) throws IOException {
        List<SensorReading> rows = scored.rows();
        List<LocalDateTime> times = new ArrayList<>(rows.size());
        double[] values = new double[rows.size()];
        long[] timestamps = new long[rows.size()];
        for (int i = 0; i < values.length; i++) {
            SensorReading r = rows.get(i);
            times.add(LocalDateTime.ofEpochSecond(r.timestamp / 1000, 0, ZoneOffset.UTC));
            values[i] = r.values[0];
            timestamps[i] = r.timestamp;
        }
        NabCorpus.writeResults(
                root,
                detector,
                name,
                times,
                values,
                scored.alerts(),
                windows.getOrDefault(name, List.of()));
        RecordedForecasts.write(
                root.resolve(detector + "-forecasts"), name, timestamps, scored.forecasts());
    }

    /** Prints NAB's normalised score under each bundled profile of the results written. */
    public void printScores(PrintWriter out, long beganNanos) throws IOException {
        Path results = root.resolve(detector);
        List<NabScorer.DataFile> corpus = NabCorpus.results(results, windows);
        out.printf(
                Locale.ROOT,
                "results in %s (%d files, %.1f min); NAB scores:%n",
                results,
                corpus.size(),
                (System.nanoTime() - beganNanos) / 60e9);
        for (NabProfile p :
                NabProfile.read(BundledData.dir().resolve("nab/profiles.json")).values()) {
            NabScorer.Result r = new NabScorer(p).score(corpus);
            out.printf(
                    Locale.ROOT,
                    "  %-20s %6.1f (threshold %.4f)%n",
                    p.name(),
                    r.normalized(),
                    r.threshold());
        }
    }
}
