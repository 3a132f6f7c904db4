package io.sensorcast.evaluation.nab;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.evaluation.BundledData;
import io.sensorcast.evaluation.nab.BaselineDetection.Forecaster;
import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code sensorcast nab-ablation --table synthetic}: a second development signal beside NAB, in the
 * spirit of TimeEval's GutenTAG. A seeded generator injects one anomaly of a known type and
 * magnitude into real series without anomalies — NAB's {@code artificialNoAnomaly} files at 5, 15
 * and 60 minutes and the first 4,032 hours of each ETTh2 column — and the job's detector (same
 * class, same settings, persistence as forecaster) is scored per type: recall at its threshold,
 * false alarms per 1,000 readings, and NAB's standard score with one window per series.
 *
 * <p>An anomaly starts at a seeded point between 50% and 85% of the series. Magnitudes are in units
 * of the series' standard deviation before the anomaly ({@code σ}): small 1, medium 2, large 4. Its
 * window, as NAB's, is a tenth of the series from its start.
 */
public final class SyntheticAnomalies {

    /** The anomaly types, each with what a magnitude {@code m} does. */
    public enum Type {
        /** One reading {@code m·σ} above its value. */
        SPIKE,
        /** Every reading from the start {@code m·σ} higher. */
        LEVEL_SHIFT,
        /** Six hours of added Gaussian noise of spread {@code m·σ / 2}. */
        VARIANCE_CHANGE,
        /** Six hours played {@code 1 + m/2} times faster (the series read ahead). */
        FREQUENCY_CHANGE,
        /** The value held for {@code 3·m} hours. */
        FLAT_LINE,
        /** A drift from the start reaching {@code m·σ} after a day, then held. */
        TREND_CHANGE
    }

    /** The magnitudes, by name. */
    public static final Map<String, Double> MAGNITUDES =
            Map.of("small", 1.0, "medium", 2.0, "large", 4.0);

    private static final List<String> MAGNITUDE_ORDER = List.of("small", "medium", "large");
    private static final Duration EPISODE = Duration.ofHours(6);

    /**
     * One row: a type at a magnitude over every base series.
     *
     * @param recall share of the series with an alert at or above the threshold in the window
     * @param falseAlarms alerts at or above the threshold outside the window, after NAB's
     *     probationary period, per 1,000 readings
     * @param standard NAB's normalised standard score over those series
     */
    public record Row(
            String type,
            String magnitude,
            int series,
            double recall,
            double falseAlarms,
            double standard) {}

    private final List<NabSeries> bases;
    private final DetectorSettings detector;
    private final long seed;

    SyntheticAnomalies(List<NabSeries> bases, DetectorSettings detector, long seed) {
        this.bases = List.copyOf(bases);
        this.detector = detector;
        this.seed = seed;
    }

    /** The bundled bases: NAB's files without anomalies at three intervals, ETTh2's columns. */
    public static SyntheticAnomalies bundled(DetectorSettings detector, long seed)
            throws IOException {
        List<NabSeries> bases = new ArrayList<>();
        Path nab = BundledData.dir().resolve("nab/data/artificialNoAnomaly");
        List<Path> files;
        try (Stream<Path> s = Files.list(nab)) {
            files = s.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        for (NabSeries s : NabSeries.read(files, f -> f.getFileName().toString(), Map.of())) {
            bases.add(rename(s, "5min"));
            for (long minutes : new long[] {15, 60}) {
                bases.add(rename(Robustness.resample(s, minutes * 60_000), minutes + "min"));
            }
        }
        List<SensorReading> ett =
                CsvReadings.read(BundledData.dir().resolve("ett/ETTh2.csv"), "ett");
        int rows = Math.min(4032, ett.size());
        for (int c = 0; c < ett.get(0).names.length; c++) {
            long[] t = new long[rows];
            double[] v = new double[rows];
            for (int i = 0; i < rows; i++) {
                t[i] = ett.get(i).timestamp;
                v[i] = ett.get(i).values[c];
            }
            bases.add(new NabSeries("ETTh2 " + ett.get(0).names[c], t, v, List.of()));
        }
        return new SyntheticAnomalies(bases, detector, seed);
    }

    private static NabSeries rename(NabSeries s, String interval) {
        return new NabSeries(s.name() + " @" + interval, s.timestamps(), s.values(), s.windows());
    }

    /** Every type at every magnitude, printed to {@code out} as it ends. */
    public List<Row> run(PrintWriter out) throws IOException {
        NabProfile standard =
                NabProfile.read(BundledData.dir().resolve("nab/profiles.json")).get("standard");
        out.printf(
                Locale.ROOT,
                "%-18s %-8s %6s %7s %7s %9s%n",
                "anomaly",
                "size",
                "series",
                "recall",
                "FA/1k",
                "standard");
        List<Row> rows = new ArrayList<>();
        for (Type type : Type.values()) {
            for (String magnitude : MAGNITUDE_ORDER) {
                Row row = score(type, magnitude, standard);
                rows.add(row);
                out.printf(
                        Locale.ROOT,
                        "%-18s %-8s %6d %7.2f %7.2f %9.1f%n",
                        row.type(),
                        row.magnitude(),
                        row.series(),
                        row.recall(),
                        row.falseAlarms(),
                        row.standard());
                out.flush();
            }
        }
        return rows;
    }

    private Row score(Type type, String magnitude, NabProfile profile) {
        Random random = new Random(seed ^ (31L * type.ordinal() + magnitude.hashCode()));
        List<NabScorer.DataFile> scored = new ArrayList<>();
        int found = 0;
        long readings = 0;
        long falseAlarms = 0;
        for (NabSeries base : bases) {
            NabSeries s = inject(base, type, MAGNITUDES.get(magnitude), random);
            double[] alerts =
                    BaselineDetection.alerts(
                            s.timestamps(),
                            s.values(),
                            Forecaster.PERSISTENCE,
                            Ablation.SCHEDULE,
                            detector);
            scored.add(s.scored(alerts));
            int probation = NabScorer.probationaryLength(alerts.length);
            boolean hit = s.alarms(alerts, probation, detector.threshold(), true) > 0;
            falseAlarms += s.alarms(alerts, probation, detector.threshold(), false);
            found += hit ? 1 : 0;
            readings += alerts.length - probation;
        }
        return new Row(
                type.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                magnitude,
                bases.size(),
                found / (double) bases.size(),
                1000.0 * falseAlarms / readings,
                new NabScorer(profile).score(scored).normalized());
    }

    /** {@code base} with one anomaly of {@code type} and magnitude {@code m}, and its window. */
    static NabSeries inject(NabSeries base, Type type, double m, Random random) {
        long[] t = base.timestamps();
        double[] v = base.values().clone();
        int n = v.length;
        int start = (int) (n * (0.5 + 0.35 * random.nextDouble()));
        double sigma = std(v, start);
        long interval = Math.max(1, Robustness.typicalInterval(t));
        int episode = Math.max(1, (int) (EPISODE.toMillis() / interval));
        switch (type) {
            case SPIKE -> v[start] += m * sigma;
            case LEVEL_SHIFT -> {
                for (int i = start; i < n; i++) {
                    v[i] += m * sigma;
                }
            }
            case VARIANCE_CHANGE -> {
                for (int i = start; i < Math.min(n, start + episode); i++) {
                    v[i] += m * sigma / 2 * random.nextGaussian();
                }
            }
            case FREQUENCY_CHANGE -> {
                double speed = 1 + m / 2;
                double[] original = base.values();
                for (int i = start; i < Math.min(n, start + episode); i++) {
                    int ahead = (int) Math.min(n - 1, start + Math.round((i - start) * speed));
                    v[i] = original[ahead];
                }
            }
            case FLAT_LINE -> {
                int held = Math.max(1, (int) (3 * m * 3_600_000 / interval));
                for (int i = start + 1; i < Math.min(n, start + held); i++) {
                    v[i] = v[start];
                }
            }
            case TREND_CHANGE -> {
                int day = Math.max(1, (int) (86_400_000L / interval));
                for (int i = start; i < n; i++) {
                    v[i] += m * sigma * Math.min(1.0, (i - start) / (double) day);
                }
            }
        }
        int end = Math.min(n - 1, start + Math.max(1, n / 10));
        List<NabScorer.Window> window =
                List.of(new NabScorer.Window(NabSeries.time(t[start]), NabSeries.time(t[end])));
        return new NabSeries(base.name(), t, v, window);
    }

    /** The standard deviation of the first {@code n} values (1 where they are constant). */
    private static double std(double[] v, int n) {
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            sum += v[i];
            squares += v[i] * v[i];
        }
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(0, squares / n - mean * mean));
        return sd > 0 ? sd : 1;
    }

    /** {@link #run(PrintWriter)}, the rows also written to {@code json} where it is not null. */
    public List<Row> run(PrintWriter out, Path json) throws IOException {
        List<Row> rows = run(out);
        JsonRows.write(json, "seed", seed, rows);
        return rows;
    }
}
