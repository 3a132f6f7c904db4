package io.sensorcast.evaluation.nab;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.IntervalScore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The intervals of a {@code nab} run judged over the readings outside the label windows (where the
 * readings are a sensor's normal behaviour, which the bands describe): the job's bands, and on the
 * same readings the baseline band of persistence, its forecast plus the empirical quantiles of its
 * own past errors on the file (the last {@link #BASELINE_MEMORY}), online as the job's.
 */
public final class NabCoverage {

    /** Persistence errors the baseline's quantiles are taken over. */
    static final int BASELINE_MEMORY = 1000;

    private IntervalScore job;
    private IntervalScore baseline;
    private final Map<String, IntervalScore> jobByCategory = new TreeMap<>();

    /** One file's scored rows, with its label windows. */
    public void add(NabRun.Scored scored, List<NabScorer.Window> windows) {
        IntervalLevels levels = scored.levels();
        if (levels.size() == 0) {
            return;
        }
        if (job == null) {
            job = new IntervalScore(levels);
            baseline = new IntervalScore(levels);
        }
        Path dir = scored.file().toAbsolutePath().getParent();
        IntervalScore category =
                jobByCategory.computeIfAbsent(
                        dir == null ? "" : dir.getFileName().toString(),
                        k -> new IntervalScore(levels));
        List<SensorReading> rows = scored.rows();
        List<Double> errors = new ArrayList<>(); // sorted
        ArrayList<Double> order = new ArrayList<>(); // in time order, for eviction
        int n = levels.size();
        double[] lo = new double[n];
        double[] hi = new double[n];
        double[] baseLo = new double[n];
        double[] baseHi = new double[n];
        for (int i = 1; i < rows.size(); i++) {
            double actual = rows.get(i).values[0];
            double last = rows.get(i - 1).values[0];
            boolean banded = !Double.isNaN(scored.lower()[0][i]);
            if (banded && errors.size() >= 10 && !inside(rows.get(i).timestamp, windows)) {
                for (int l = 0; l < n; l++) {
                    lo[l] = scored.lower()[l][i];
                    hi[l] = scored.upper()[l][i];
                    double tail = levels.tail(l);
                    baseLo[l] = last + quantile(errors, tail);
                    baseHi[l] = last + quantile(errors, 1 - tail);
                }
                job.add(actual, lo, hi);
                category.add(actual, lo, hi);
                baseline.add(actual, baseLo, baseHi);
            }
            double e = actual - last;
            if (Double.isFinite(e)) {
                insert(errors, e);
                order.add(e);
                if (order.size() > BASELINE_MEMORY) {
                    double old = order.remove(0);
                    errors.remove(Collections.binarySearch(errors, old));
                }
            }
        }
    }

    private static void insert(List<Double> sorted, double e) {
        int at = Collections.binarySearch(sorted, e);
        sorted.add(at < 0 ? -at - 1 : at, e);
    }

    private static double quantile(List<Double> sorted, double p) {
        double x = p * (sorted.size() - 1);
        int i = (int) Math.floor(x);
        int j = Math.min(i + 1, sorted.size() - 1);
        return sorted.get(i) + (x - i) * (sorted.get(j) - sorted.get(i));
    }

    private static boolean inside(long t, List<NabScorer.Window> windows) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(t / 1000, 0, ZoneOffset.UTC);
        for (NabScorer.Window w : windows) {
            if (!time.isBefore(w.start()) && !time.isAfter(w.end())) {
                return true;
            }
        }
        return false;
    }

    /** The job's bands; null before a file with bands. */
    public IntervalScore job() {
        return job;
    }

    /** Persistence's quantile band on the same readings; null before a file with bands. */
    public IntervalScore baseline() {
        return baseline;
    }

    public void print(PrintWriter out) {
        if (job == null) {
            out.println("no intervals (sensorcast.forecast.interval-levels=none)");
            out.flush();
            return;
        }
        out.printf(
                Locale.ROOT,
                "intervals over the %d readings outside the label windows with a band:%n",
                job.count());
        out.print(job.lines("job, online"));
        out.print(baseline.lines("persistence quantiles"));
        out.println("the job's, per category:");
        jobByCategory.forEach((name, score) -> out.print(score.lines("  " + name)));
        out.flush();
    }
}
