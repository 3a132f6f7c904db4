package io.sensorcast.cli;

import io.sensorcast.connectors.format.IsoInstants;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.CsvReadings;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast nab}: the NAB corpus through the live pipeline, with online retraining, into
 * NAB results files; then NAB's score.
 */
@Command(
        name = "nab",
        mixinStandardHelpOptions = true,
        description = {
            "Stream every NAB file (one sensor each) through Kafka into ForecastJob with online"
                    + " retraining, and write NAB results files"
                    + " <out>/<detector>/<category>/<detector>_<file>.csv (timestamp, value,"
                    + " anomaly_score, label; one row per input row). Models only ever see data"
                    + " already replayed: persistence forecasts serve until a sensor's first model,"
                    + " which is trained after --first-model-after readings and retrained every"
                    + " --retrain-every readings, as a live deployment would schedule it (no use"
                    + " of a file's length). Files go one after another, each"
                    + " on a clock moved to start after the previous file (intervals unchanged)."
                    + " The anomaly_score written is the alert score (the score at the onset of"
                    + " an excursion, else 0), the same that flags anomalies in the job."
        })
final class NabCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin NabData nab = new NabData();

    @Option(
            names = "--serving-engine",
            defaultValue = "AUTO",
            description =
                    "auto, onnxruntime or pytorch (sensorcast.models.serving-engine; default:"
                            + " ${DEFAULT-VALUE}).")
    ServingEngine engine;

    @Option(
            names = "--out",
            defaultValue = "nab-results",
            paramLabel = "DIR",
            description = "Results root (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--detector",
            defaultValue = "sensorcast",
            description = "Detector name in the results (default: ${DEFAULT-VALUE}).")
    String detector;

    @Option(
            names = "--first-model-after",
            defaultValue = "500",
            paramLabel = "N",
            description =
                    "Readings of a sensor before its first model (default: ${DEFAULT-VALUE}).")
    int firstModelAfter;

    @Option(
            names = "--retrain-every",
            defaultValue = "3000",
            paramLabel = "N",
            description = "Readings between retraining rounds (default: ${DEFAULT-VALUE}).")
    int retrainEvery;

    @Option(
            names = "--epochs",
            defaultValue = "3",
            description = "Training epochs per round (default: ${DEFAULT-VALUE}).")
    int epochs;

    /** A file as replayed: its sensor, the clock shift applied, its rows in file order. */
    private record Replayed(Path file, String sensor, long shift, List<SensorReading> rows) {}

    /** Alert scores by sensor and target time, as read from the scores topic. */
    private final Map<String, Map<Long, Double>> scores = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Map<String, List<NabScorer.Window>> windows = nab.windows();
        List<Path> files = nab.files();
        if (firstModelAfter < 2 || retrainEvery < 1) {
            throw new IllegalArgumentException(
                    "--first-model-after must be >= 2 and --retrain-every >= 1, got "
                            + firstModelAfter
                            + " and "
                            + retrainEvery);
        }
        long began = System.nanoTime();
        List<Replayed> replayed = new ArrayList<>();
        try (LocalStack stack = LocalStack.start("nab")) {
            configure(stack.job());
            stack.ensureReadings(2);
            Configuration flink = stack.flink(2, "checkpoints");
            JobMetricsReporter.register(flink);
            JobMetricsReporter.reset();
            stack.startForecast(flink, 1000);
            OutputReader reader =
                    stack.read(
                            "sensorcast-nab",
                            EnumSet.of(OutputReader.Output.SCORES),
                            new OutputReader.Listener() {
                                @Override
                                public void score(ScoreRecord s) {
                                    scores.computeIfAbsent(
                                                    s.sensor(), k -> new ConcurrentHashMap<>())
                                            .put(IsoInstants.parse(s.targetTs()), s.alertScore());
                                }
                            });
            long clock = 0;
            for (int k = 0; k < files.size(); k++) {
                Path file = files.get(k);
                String sensor = CsvReadings.sensorFromFilename(file);
                List<SensorReading> rows = CsvReadings.read(file, sensor);
                if (k == 0) {
                    clock = rows.get(0).timestamp;
                }
                Replayed r = new Replayed(file, sensor, clock - rows.get(0).timestamp, rows);
                replay(stack, reader, r, clock);
                replayed.add(r);
                clock = rows.get(rows.size() - 1).timestamp + r.shift() + 86_400_000L;
                o.printf(
                        Locale.ROOT,
                        "[%4ds] %2d/%d %s: %d rows, %d scored%n",
                        (System.nanoTime() - began) / 1_000_000_000L,
                        k + 1,
                        files.size(),
                        sensor,
                        rows.size(),
                        scores.getOrDefault(sensor, Map.of()).size());
                o.flush();
            }
            awaitQuiet(reader, Duration.ofSeconds(3), Duration.ofSeconds(60));
        }
        for (Replayed r : replayed) {
            write(r, windows);
        }
        score(o, windows, began);
        return 0;
    }

    /** The job's and the retraining rounds' settings for NAB. */
    private void configure(Configuration config) {
        config.set(ForecastOptions.WINDOW, 48);
        config.set(ForecastOptions.SERVING_ENGINE, engine);
        // NAB files are in time order: a reading is released as soon as the next arrives
        config.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ZERO);
        config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
        config.set(RetrainOptions.WINDOW, 48);
        config.set(RetrainOptions.EPOCHS, epochs);
        config.set(RetrainOptions.MIN_READINGS, 250);
        config.set(RetrainOptions.MAX_READINGS, 3000);
        config.set(RetrainOptions.COLD_START_GATE, false);
    }

    /**
     * Replays one file on the clock starting at {@code clock}, in chunks: after the first {@code
     * firstModelAfter} readings and every {@code retrainEvery} after, once the job is quiet, a
     * retraining round, and its model in service before the next chunk.
     */
    private void replay(LocalStack stack, OutputReader reader, Replayed file, long clock)
            throws Exception {
        List<SensorReading> moved = CsvReadings.moved(file.rows(), file.sensor(), file.shift());
        Replayer replayer = stack.replayer();
        ModelStore store = ModelStoreOptions.store(stack.job());
        String topic = stack.job().get(KafkaOptions.READINGS_TOPIC);
        int from = 0;
        List<Integer> cuts = new ArrayList<>();
        for (int c = firstModelAfter; c < moved.size(); c += retrainEvery) {
            cuts.add(c);
        }
        cuts.add(moved.size());
        for (int cut : cuts) {
            replayer.replay(moved.subList(from, cut), topic, new Pacing.Max(), (a, b, c) -> {});
            from = cut;
            awaitQuiet(reader, Duration.ofSeconds(3), Duration.ofSeconds(60));
            if (cut < moved.size()) {
                Configuration round = new Configuration(stack.job());
                round.set(RetrainOptions.FROM, Instant.ofEpochMilli(clock).toString());
                stack.retrain(round, r -> true);
                awaitServed(file.sensor(), store.list(file.sensor()).highest());
            }
        }
    }

    /** NAB's three normalised scores of the results written. */
    private void score(PrintWriter o, Map<String, List<NabScorer.Window>> windows, long began)
            throws IOException {
        Path results = out.resolve(detector);
        List<NabScorer.DataFile> corpus = NabCorpus.results(results, windows);
        o.printf(
                Locale.ROOT,
                "results in %s (%d files, %.1f min); NAB scores:%n",
                results,
                corpus.size(),
                (System.nanoTime() - began) / 60e9);
        for (NabProfile p :
                NabProfile.read(Defaults.dataDir().resolve("nab/profiles.json")).values()) {
            NabScorer.Result r = new NabScorer(p).score(corpus);
            o.printf(
                    Locale.ROOT,
                    "  %-20s %6.1f (threshold %.4f)%n",
                    p.name(),
                    r.normalized(),
                    r.threshold());
        }
    }

    private void write(Replayed replayed, Map<String, List<NabScorer.Window>> windows)
            throws IOException {
        String name = nab.name(replayed.file());
        Map<Long, Double> byTarget = scores.getOrDefault(replayed.sensor(), Map.of());
        List<SensorReading> rows = replayed.rows();
        List<LocalDateTime> times = new ArrayList<>(rows.size());
        double[] values = new double[rows.size()];
        double[] alerts = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            SensorReading r = rows.get(i);
            times.add(LocalDateTime.ofEpochSecond(r.timestamp / 1000, 0, ZoneOffset.UTC));
            values[i] = r.values[0];
            alerts[i] = byTarget.getOrDefault(r.timestamp + replayed.shift(), 0.0);
        }
        NabCorpus.writeResults(
                out, detector, name, times, values, alerts, windows.getOrDefault(name, List.of()));
    }

    /**
     * Waits until the forecast job serves {@code version} of {@code group} (nothing to wait for
     * when no version was ever published), so the readings replayed next are forecast by the model
     * trained before them, whenever it arrives: the run is the same from one time to the next.
     */
    private void awaitServed(String group, long version) throws InterruptedException {
        long deadline = System.nanoTime() + SERVE_LIMIT.toNanos();
        while (version > 0 && !JobMetricsReporter.serves(group, version)) {
            if (System.nanoTime() > deadline) {
                spec.commandLine()
                        .getOut()
                        .printf(
                                Locale.ROOT,
                                "warning: %s version %d not served after %s; replaying on%n",
                                group,
                                version,
                                SERVE_LIMIT);
                return;
            }
            Thread.sleep(50);
        }
    }

    private static final Duration SERVE_LIMIT = Duration.ofSeconds(60);

    /** Waits until no score has come for {@code quiet}, at most {@code max}. */
    private static void awaitQuiet(OutputReader reader, Duration quiet, Duration max)
            throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long start = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long last = Math.max(reader.lastRecordNanos(), start);
            if (System.nanoTime() - last > quiet.toNanos()) {
                return;
            }
            Thread.sleep(200);
        }
    }
}
