package io.sensorcast.evaluation.nab;

import io.sensorcast.evaluation.BundledData;
import io.sensorcast.evaluation.nab.BaselineDetection.Forecaster;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.job.JobConfiguration;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;

/**
 * {@code sensorcast nab-ablation}: the job's anomaly detector (same class, same defaults) with each
 * baseline forecaster and without each of its parts, NAB-scored on a corpus; optionally also on the
 * forecasts a {@code sensorcast nab} run recorded. Plain Java, no Kafka or Flink.
 */
public final class Ablation {

    /** A forecaster's alert scores of one series under {@code settings}. */
    private interface Alerts {
        double[] of(NabSeries series, DetectorSettings settings) throws IOException;
    }

    /** The retraining schedule of the linear forecasters: {@code sensorcast nab}'s. */
    static final BaselineDetection.Schedule SCHEDULE =
            new BaselineDetection.Schedule(48, 500, 3000, 3000);

    private final List<NabSeries> corpus;
    private final DetectorSettings detector;
    private final Path resultsDir;

    /**
     * @param files the corpus' data files, {@code name} their labels keys
     * @param resultsDir where the full detector's results files go, per forecaster; null for none
     */
    public Ablation(
            List<Path> files,
            Function<Path, String> name,
            Map<String, List<NabScorer.Window>> windows,
            DetectorSettings detector,
            Path resultsDir)
            throws IOException {
        this.corpus = NabSeries.read(files, name, windows);
        this.detector = detector;
        this.resultsDir = resultsDir;
    }

    /**
     * The detector's settings: the defaults, with {@code conf}'s detector options over them; any
     * other key is refused.
     */
    public static DetectorSettings detectorSettings(Map<String, String> conf) {
        Configuration c = new Configuration();
        conf.forEach(
                (key, value) -> {
                    if (!key.startsWith("sensorcast.scoring.")) {
                        throw new IllegalArgumentException(
                                "-D "
                                        + key
                                        + ": nab-ablation takes detector options"
                                        + " (sensorcast.scoring.*) only");
                    }
                    c.setString(key, value);
                });
        JobConfiguration.checkKeys(c);
        return ForecastOptions.detector(c);
    }

    /**
     * Prints one row of NAB's three scores per forecaster and variant; {@code recorded}, where not
     * null, adds the forecasts a live run recorded there as a forecaster.
     */
    public void run(Path recorded, PrintWriter out) throws IOException {
        Map<String, NabProfile> profiles =
                NabProfile.read(BundledData.dir().resolve("nab/profiles.json"));
        Map<String, DetectorSettings> variants = variants();
        DetectorSettings alone = variants.get(ALONE);
        out.printf(
                Locale.ROOT,
                "%-16s %-33s %9s %9s %9s%n",
                "forecaster",
                "scorer",
                "standard",
                "low FP",
                "low FN");
        for (Map.Entry<String, Alerts> f : forecasters(recorded).entrySet()) {
            for (Map.Entry<String, DetectorSettings> v : variants.entrySet()) {
                DetectorSettings settings = v.getValue();
                boolean part = settings != detector && settings != alone;
                // the parts are ablated with persistence and with the recorded forecasts
                boolean shown =
                        switch (f.getKey()) {
                            case "persistence" -> settings != alone; // alone is the full one
                            case "recorded" -> true;
                            default -> !part;
                        };
                if (shown) {
                    List<NabScorer.DataFile> scored =
                            detect(f.getKey(), f.getValue(), settings, settings == detector);
                    out.printf(
                            Locale.ROOT,
                            "%-16s %-33s %9.1f %9.1f %9.1f%n",
                            f.getKey(),
                            v.getKey(),
                            normalized(profiles, "standard", scored),
                            normalized(profiles, "reward_low_FP_rate", scored),
                            normalized(profiles, "reward_low_FN_rate", scored));
                    out.flush();
                }
            }
        }
    }

    private static final String ALONE = "forecast error alone (weight 0)";

    /** The full detector, then without each of its parts. */
    private Map<String, DetectorSettings> variants() {
        DetectorSettings d = detector;
        Map<String, DetectorSettings> variants = new LinkedHashMap<>();
        variants.put("full detector", d);
        variants.put("without the week-ago stream", with(d, d.refractory(), d.spatialWarmup(), 0));
        variants.put(
                "without the out-of-range rule",
                with(d, d.refractory(), 1_000_000, d.maxWeekLag()));
        variants.put(
                "without the refractory period",
                with(d, Duration.ZERO, d.spatialWarmup(), d.maxWeekLag()));
        // the forecast judged alone: the same as the full detector for persistence
        variants.put(ALONE, d.withPersistenceWeight(0));
        return variants;
    }

    /** Each baseline forecaster by its name, then the recorded forecasts, if any. */
    private Map<String, Alerts> forecasters(Path recorded) throws IOException {
        Map<String, Alerts> forecasters = new LinkedHashMap<>();
        for (Forecaster f : Forecaster.values()) {
            forecasters.put(
                    f.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    (series, settings) ->
                            BaselineDetection.alerts(
                                    series.timestamps(), series.values(), f, SCHEDULE, settings));
        }
        if (recorded != null) {
            forecasters.put("recorded", recorded(recorded));
        }
        return forecasters;
    }

    /**
     * Every series' alerts by {@code forecaster} and {@code settings}, as NAB data files; with
     * {@code write}, also as results files under the results directory.
     */
    private List<NabScorer.DataFile> detect(
            String forecaster, Alerts alertsOf, DetectorSettings settings, boolean write)
            throws IOException {
        List<NabScorer.DataFile> scored = new ArrayList<>();
        for (NabSeries s : corpus) {
            double[] alerts = alertsOf.of(s, settings);
            if (resultsDir != null && write) {
                NabCorpus.writeResults(
                        resultsDir,
                        "sensorcast-" + forecaster,
                        s.name(),
                        s.times(),
                        s.values(),
                        alerts,
                        s.windows());
            }
            scored.add(s.scored(alerts));
        }
        return scored;
    }

    /**
     * The forecasts recorded under {@code dir}, every series of the corpus needing its file: the
     * detector's variants on a live run's (the BiLSTM's) own forecasts.
     */
    private Alerts recorded(Path dir) throws IOException {
        Map<String, double[]> forecasts = new LinkedHashMap<>();
        for (NabSeries s : corpus) {
            double[] f = RecordedForecasts.read(dir, s.name(), s.timestamps());
            if (f == null) {
                throw new IllegalArgumentException(
                        "--forecasts " + dir + " has no forecasts for " + s.name());
            }
            forecasts.put(s.name(), f);
        }
        return (series, settings) ->
                BaselineDetection.alerts(
                        series.timestamps(),
                        series.values(),
                        forecasts.get(series.name()),
                        settings);
    }

    private static double normalized(
            Map<String, NabProfile> profiles, String profile, List<NabScorer.DataFile> scored) {
        return new NabScorer(profiles.get(profile)).score(scored).normalized();
    }

    private static DetectorSettings with(
            DetectorSettings d, Duration refractory, int spatialWarmup, int maxWeekLag) {
        return new DetectorSettings(
                d.shortWindow(),
                d.errorHistory(),
                d.reestimateInterval(),
                d.minHistory(),
                d.sigmaFloor(),
                d.tailScale(),
                d.spatialTolerance(),
                spatialWarmup,
                d.threshold(),
                refractory,
                maxWeekLag,
                d.persistenceWeight());
    }
}
