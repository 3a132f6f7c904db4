package io.sensorcast.evaluation.nab;

import io.sensorcast.evaluation.BundledData;
import io.sensorcast.evaluation.nab.BaselineDetection.Forecaster;
import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code sensorcast nab-ablation --table robustness}: the job's detector (same class, same
 * settings, one configuration for every file) on transformed copies of a NAB corpus, to show
 * whether its score holds where nothing was tuned: every file resampled to other intervals, cut
 * short, and each category alone and left out. Plain Java over a baseline forecaster ({@link
 * BaselineDetection}), as the ablation: with persistence, the full detector scores the development
 * subset within 0.4 of the live BiLSTM run (docs/detector.md).
 *
 * <p>A file is resampled onto a grid of the target interval: by averaging the readings in each
 * interval where the file is finer, by linear interpolation between its readings where it is
 * coarser. A label window keeps its times: it starts on the first row at or after its start (its
 * interval's start, when averaging) and ends on the last row at or before its end. A cut keeps a
 * file's first rows and the windows that start inside them, a window the cut crosses ending on the
 * last row kept.
 */
public final class Robustness {

    /**
     * One variant's scores.
     *
     * @param windows label windows in the variant
     * @param readings rows scored (after NAB's probationary period)
     * @param falseAlarms rows at or above the detector's threshold outside every window, after the
     *     probationary period
     * @param standard NAB's normalised score (standard profile); null where the variant has no
     *     window, as NAB's normalisation is then 0 / 0
     */
    public record Row(
            String variant,
            int files,
            int windows,
            long readings,
            long falseAlarms,
            Double standard,
            Double lowFp,
            Double lowFn) {

        /** False alarms per 1,000 scored readings. */
        public double falseAlarmsPerThousand() {
            return readings == 0 ? 0 : 1000.0 * falseAlarms / readings;
        }
    }

    /** The intervals of the resampled variants: 1, 15 and 60 minutes. */
    public static final List<Duration> INTERVALS =
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofMinutes(60));

    /** The lengths of the cut variants, in readings. */
    public static final List<Integer> CUTS = List.of(1500, 2500);

    private final List<NabSeries> corpus;
    private final DetectorSettings detector;
    private final Forecaster forecaster;
    private final BaselineDetection.Schedule schedule;

    Robustness(
            List<NabSeries> corpus,
            DetectorSettings detector,
            Forecaster forecaster,
            BaselineDetection.Schedule schedule) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("a robustness run needs at least one series");
        }
        this.corpus = List.copyOf(corpus);
        this.detector = detector;
        this.forecaster = forecaster;
        this.schedule = schedule;
    }

    /** The corpus' files scored by {@code forecaster} on {@code nab}'s retraining schedule. */
    public static Robustness of(
            List<Path> files,
            Function<Path, String> name,
            Map<String, List<NabScorer.Window>> windows,
            DetectorSettings detector,
            Forecaster forecaster)
            throws IOException {
        return new Robustness(
                NabSeries.read(files, name, windows), detector, forecaster, Ablation.SCHEDULE);
    }

    /** The variants by name, the corpus as given first. */
    Map<String, List<NabSeries>> variants() {
        Map<String, List<NabSeries>> out = new LinkedHashMap<>();
        out.put("as given", corpus);
        for (Duration d : INTERVALS) {
            out.put("resampled to " + d.toMinutes() + " min", map(s -> resample(s, d.toMillis())));
        }
        for (int n : CUTS) {
            out.put(String.format("first %,d readings", n), map(s -> cut(s, n)));
        }
        Set<String> categories = new LinkedHashSet<>();
        corpus.forEach(s -> categories.add(s.category()));
        if (categories.size() > 1) {
            for (String c : categories) {
                out.put("only " + c, corpus.stream().filter(s -> s.category().equals(c)).toList());
                out.put(
                        "without " + c,
                        corpus.stream().filter(s -> !s.category().equals(c)).toList());
            }
        }
        return out;
    }

    /**
     * Every variant's row, in {@link #variants()} order, each printed to {@code out} as it ends
     * with its standard score's difference to the first variant's (the corpus as given).
     */
    public List<Row> run(PrintWriter out) throws IOException {
        Map<String, NabProfile> profiles =
                NabProfile.read(BundledData.dir().resolve("nab/profiles.json"));
        out.printf(
                Locale.ROOT,
                "%-34s %5s %7s %9s %9s %9s %7s %7s%n",
                "variant",
                "files",
                "windows",
                "standard",
                "low FP",
                "low FN",
                "FA/1k",
                "Δ std");
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<NabSeries>> v : variants().entrySet()) {
            Row row = score(v.getKey(), v.getValue(), profiles);
            Double base = rows.isEmpty() ? row.standard() : rows.get(0).standard();
            rows.add(row);
            out.printf(
                    Locale.ROOT,
                    "%-34s %5d %7d %9s %9s %9s %7.2f %7s%n",
                    row.variant(),
                    row.files(),
                    row.windows(),
                    format("%.1f", row.standard()),
                    format("%.1f", row.lowFp()),
                    format("%.1f", row.lowFn()),
                    row.falseAlarmsPerThousand(),
                    format(
                            "%+.1f",
                            base == null || row.standard() == null ? null : row.standard() - base));
            out.flush();
        }
        return rows;
    }

    /** {@link #run(PrintWriter)}, the rows also written to {@code json} where it is not null. */
    public List<Row> run(PrintWriter out, Path json) throws IOException {
        List<Row> rows = run(out);
        JsonRows.write(json, "forecaster", forecaster.name().toLowerCase(Locale.ROOT), rows);
        return rows;
    }

    private static String format(String pattern, Double value) {
        return value == null ? "—" : String.format(Locale.ROOT, pattern, value);
    }

    private Row score(String name, List<NabSeries> series, Map<String, NabProfile> profiles) {
        List<NabScorer.DataFile> scored = new ArrayList<>();
        long readings = 0;
        long falseAlarms = 0;
        int windows = 0;
        for (NabSeries s : series) {
            double[] alerts =
                    BaselineDetection.alerts(
                            s.timestamps(), s.values(), forecaster, schedule, detector);
            scored.add(s.scored(alerts));
            int probation = NabScorer.probationaryLength(alerts.length);
            readings += alerts.length - probation;
            falseAlarms += s.alarms(alerts, probation, detector.threshold(), false);
            windows += s.windows().size();
        }
        return new Row(
                name,
                series.size(),
                windows,
                readings,
                falseAlarms,
                normalized(profiles.get("standard"), scored, windows),
                normalized(profiles.get("reward_low_FP_rate"), scored, windows),
                normalized(profiles.get("reward_low_FN_rate"), scored, windows));
    }

    private static Double normalized(
            NabProfile profile, List<NabScorer.DataFile> scored, int windows) {
        return windows == 0 ? null : new NabScorer(profile).score(scored).normalized();
    }

    private List<NabSeries> map(UnaryOperator<NabSeries> f) {
        return corpus.stream().map(f).toList();
    }

    /**
     * {@code s} on a grid of {@code intervalMs}: averaged where it is finer, interpolated where it
     * is coarser, unchanged where its typical interval is the target.
     */
    static NabSeries resample(NabSeries s, long intervalMs) {
        long typical = typicalInterval(s.timestamps());
        if (typical == intervalMs || s.timestamps().length < 2) {
            return s;
        }
        boolean averaging = intervalMs > typical;
        NabSeries grid = averaging ? average(s, intervalMs) : interpolate(s, intervalMs);
        long[] t = grid.timestamps();
        List<NabScorer.Window> windows = new ArrayList<>();
        for (NabScorer.Window w : s.windows()) {
            long start = NabSeries.epochMs(w.start());
            long end = NabSeries.epochMs(w.end());
            if (averaging) {
                start = Math.floorDiv(start, intervalMs) * intervalMs;
                end = Math.floorDiv(end, intervalMs) * intervalMs;
            }
            window(t, start, end, windows);
        }
        return new NabSeries(s.name(), t, grid.values(), windows);
    }

    /** The first {@code rows} rows of {@code s} and the windows that start inside them. */
    static NabSeries cut(NabSeries s, int rows) {
        if (s.timestamps().length <= rows) {
            return s;
        }
        long[] t = Arrays.copyOf(s.timestamps(), rows);
        List<NabScorer.Window> windows = new ArrayList<>();
        for (NabScorer.Window w : s.windows()) {
            window(t, NabSeries.epochMs(w.start()), NabSeries.epochMs(w.end()), windows);
        }
        return new NabSeries(s.name(), t, Arrays.copyOf(s.values(), rows), windows);
    }

    /**
     * Adds the window from the first row at or after {@code start} to the last at or before {@code
     * end}, where there is such a row.
     */
    private static void window(long[] t, long start, long end, List<NabScorer.Window> out) {
        int from = Arrays.binarySearch(t, start);
        from = from >= 0 ? from : -from - 1;
        int to = Arrays.binarySearch(t, end);
        to = to >= 0 ? to : -to - 2;
        if (from < t.length && to >= from) {
            out.add(new NabScorer.Window(NabSeries.time(t[from]), NabSeries.time(t[to])));
        }
    }

    /** Readings averaged per interval (of its start), at the intervals that hold readings. */
    private static NabSeries average(NabSeries s, long intervalMs) {
        long[] t = s.timestamps();
        List<Long> starts = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        int i = 0;
        while (i < t.length) {
            long bucket = Math.floorDiv(t[i], intervalMs) * intervalMs;
            double sum = 0;
            int n = 0;
            while (i < t.length && Math.floorDiv(t[i], intervalMs) * intervalMs == bucket) {
                sum += s.values()[i++];
                n++;
            }
            if (!starts.isEmpty() && bucket <= starts.get(starts.size() - 1)) {
                continue; // a reading out of time order: its interval is already written
            }
            starts.add(bucket);
            means.add(sum / n);
        }
        return new NabSeries(
                s.name(),
                starts.stream().mapToLong(Long::longValue).toArray(),
                means.stream().mapToDouble(Double::doubleValue).toArray(),
                List.of());
    }

    /** Readings interpolated linearly onto every multiple of {@code intervalMs} they span. */
    private static NabSeries interpolate(NabSeries s, long intervalMs) {
        long first = ceil(s.timestamps()[0], intervalMs);
        long last = s.timestamps()[s.timestamps().length - 1];
        int n = first > last ? 0 : Math.toIntExact((last - first) / intervalMs + 1);
        long[] t = new long[n];
        double[] v = new double[n];
        int j = 0;
        for (int i = 0; i < n; i++) {
            t[i] = first + i * intervalMs;
            while (j + 2 < s.timestamps().length && s.timestamps()[j + 1] <= t[i]) {
                j++;
            }
            v[i] = interpolate(s, j, t[i]);
        }
        return new NabSeries(s.name(), t, v, List.of());
    }

    private static double interpolate(NabSeries s, int j, long at) {
        long t0 = s.timestamps()[j];
        long t1 = s.timestamps()[j + 1];
        double v0 = s.values()[j];
        double v1 = s.values()[j + 1];
        if (t1 <= t0 || at <= t0) {
            return at >= t1 ? v1 : v0;
        }
        if (at >= t1) {
            return v1;
        }
        return v0 + (v1 - v0) * (at - t0) / (double) (t1 - t0);
    }

    /** The median interval between consecutive readings, in ms. */
    static long typicalInterval(long[] t) {
        long[] d = new long[Math.max(0, t.length - 1)];
        for (int i = 1; i < t.length; i++) {
            d[i - 1] = t[i] - t[i - 1];
        }
        if (d.length == 0) {
            return 0;
        }
        Arrays.sort(d);
        return d[d.length / 2];
    }

    private static long ceil(long t, long step) {
        return Math.floorDiv(t + step - 1, step) * step;
    }
}
