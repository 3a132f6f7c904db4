package io.sensorcast.cli;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.replay.CsvReadings;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.job.JobConfiguration;
import io.sensorcast.pipeline.scoring.BaselineDetection;
import io.sensorcast.pipeline.scoring.BaselineDetection.Forecaster;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast nab-ablation}: the anomaly detector with each baseline forecaster and without
 * each of its parts, NAB-scored on a corpus; with {@code --forecasts}, also on the forecasts a
 * {@code sensorcast nab} run (the BiLSTM's) recorded.
 */
@Command(
        name = "nab-ablation",
        mixinStandardHelpOptions = true,
        description = {
            "Run the job's anomaly detector (same class, same defaults) over every NAB file with a"
                    + " baseline forecaster — persistence, seasonal naive (a day before), linear"
                    + " (least squares on the last 48 readings, refit on sensorcast nab's"
                    + " retraining schedule), linear with the readings a day and a week before as"
                    + " seasonal channels — and without each of its parts, and print NAB's"
                    + " three scores for each; with --forecasts, the same for the forecasts a"
                    + " sensorcast nab run recorded (the BiLSTM's). Plain Java, no Kafka or Flink:"
                    + " seconds, not minutes."
        })
final class NabAblationCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin NabData nab = new NabData();

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Also write each forecaster's full-detector results as NAB results files,"
                            + " DIR/sensorcast-<forecaster>/<category>/..., for nab-score"
                            + " --per-file.")
    Path resultsDir;

    @Option(
            names = "--forecasts",
            paramLabel = "DIR",
            description =
                    "Also run every variant on the forecasts a sensorcast nab run recorded"
                            + " (<out>/<detector>-forecasts of that run): the BiLSTM's rows"
                            + " without a live run each. The full detector's row reproduces that"
                            + " run's scores.")
    Path recorded;

    @Option(
            names = {"-D", "--conf"},
            paramLabel = "KEY=VALUE",
            description =
                    "A detector option (sensorcast.scoring.*) for every row, e.g. -D"
                            + " sensorcast.scoring.tail-scale=6; the defaults otherwise.")
    Map<String, String> conf = new LinkedHashMap<>();

    private record Series(String name, long[] timestamps, double[] values) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DetectorSettings d = detectorSettings(conf);
        Map<String, List<NabScorer.Window>> windows = nab.windows();
        Map<String, NabProfile> profiles =
                NabProfile.read(Defaults.dataDir().resolve("nab/profiles.json"));
        List<Series> corpus = read(nab);
        Map<String, DetectorSettings> variants = new LinkedHashMap<>();
        variants.put("full detector", d);
        variants.put("without the week-ago stream", with(d, d.refractory(), d.spatialWarmup(), 0));
        variants.put(
                "without the out-of-range rule",
                with(d, d.refractory(), 1_000_000, d.maxWeekLag()));
        variants.put(
                "without the refractory period", with(d, 0, d.spatialWarmup(), d.maxWeekLag()));
        // the forecast judged alone: the same as the full detector for persistence
        DetectorSettings alone = d.withPersistenceWeight(0);
        variants.put("forecast error alone (weight 0)", alone);
        BaselineDetection.Schedule schedule = new BaselineDetection.Schedule(48, 500, 3000, 3000);
        out.printf(
                Locale.ROOT,
                "%-16s %-33s %9s %9s %9s%n",
                "forecaster",
                "scorer",
                "standard",
                "low FP",
                "low FN");
        Map<String, Alerts> forecasters = new LinkedHashMap<>();
        for (Forecaster f : Forecaster.values()) {
            forecasters.put(
                    f.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    (series, settings) ->
                            BaselineDetection.alerts(
                                    series.timestamps(), series.values(), f, schedule, settings));
        }
        if (recorded != null) {
            forecasters.put("recorded", recorded(corpus));
        }
        for (Map.Entry<String, Alerts> f : forecasters.entrySet()) {
            for (Map.Entry<String, DetectorSettings> v : variants.entrySet()) {
                boolean part = v.getValue() != d && v.getValue() != alone;
                // the parts are ablated with persistence and with the recorded forecasts
                boolean shown =
                        switch (f.getKey()) {
                            case "persistence" -> v.getValue() != alone; // alone is the full one
                            case "recorded" -> true;
                            default -> !part;
                        };
                if (!shown) {
                    continue;
                }
                List<NabScorer.DataFile> scored =
                        detect(
                                corpus,
                                f.getKey(),
                                f.getValue(),
                                v.getValue(),
                                v.getValue() == d,
                                windows);
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
        return 0;
    }

    /**
     * Every series' alerts by {@code forecaster} and {@code settings}, as NAB data files; with
     * {@code write}, also as results files under {@code --out}.
     */
    private List<NabScorer.DataFile> detect(
            List<Series> corpus,
            String forecaster,
            Alerts alertsOf,
            DetectorSettings settings,
            boolean write,
            Map<String, List<NabScorer.Window>> windows)
            throws IOException {
        List<NabScorer.DataFile> scored = new ArrayList<>();
        for (Series s : corpus) {
            List<LocalDateTime> times = times(s.timestamps());
            double[] alerts = alertsOf.of(s, settings);
            if (resultsDir != null && write) {
                NabCorpus.writeResults(
                        resultsDir,
                        "sensorcast-" + forecaster,
                        s.name(),
                        times,
                        s.values(),
                        alerts,
                        windows.getOrDefault(s.name(), List.of()));
            }
            scored.add(
                    new NabScorer.DataFile(
                            s.name(), times, alerts, windows.getOrDefault(s.name(), List.of())));
        }
        return scored;
    }

    /** A forecaster's alert scores of one series under {@code settings}. */
    private interface Alerts {
        double[] of(Series series, DetectorSettings settings) throws IOException;
    }

    /**
     * The forecasts recorded under {@code --forecasts}, every series of the corpus needing its
     * file: the detector's variants on a live run's (the BiLSTM's) own forecasts.
     */
    private Alerts recorded(List<Series> corpus) throws IOException {
        Map<String, double[]> forecasts = new LinkedHashMap<>();
        for (Series s : corpus) {
            double[] f = RecordedForecasts.read(recorded, s.name(), s.timestamps());
            if (f == null) {
                throw new IllegalArgumentException(
                        "--forecasts " + recorded + " has no forecasts for " + s.name());
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

    /** The detector's settings: the defaults, with {@code conf}'s detector options over them. */
    static DetectorSettings detectorSettings(Map<String, String> conf) {
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

    private static double normalized(
            Map<String, NabProfile> profiles, String profile, List<NabScorer.DataFile> scored) {
        return new NabScorer(profiles.get(profile)).score(scored).normalized();
    }

    private static DetectorSettings with(
            DetectorSettings d, int refractory, int spatialWarmup, int maxWeekLag) {
        return new DetectorSettings(
                d.shortWindow(),
                d.longWindow(),
                d.reestimateEvery(),
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

    private static List<Series> read(NabData nab) throws Exception {
        List<Series> out = new ArrayList<>();
        for (Path f : nab.files()) {
            List<SensorReading> rows = CsvReadings.read(f, "s");
            long[] t = new long[rows.size()];
            double[] v = new double[rows.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = rows.get(i).timestamp;
                v[i] = rows.get(i).values[0];
            }
            out.add(new Series(nab.name(f), t, v));
        }
        return out;
    }

    private static List<LocalDateTime> times(long[] timestamps) {
        List<LocalDateTime> out = new ArrayList<>(timestamps.length);
        for (long t : timestamps) {
            out.add(LocalDateTime.ofEpochSecond(t / 1000, 0, ZoneOffset.UTC));
        }
        return out;
    }
}
