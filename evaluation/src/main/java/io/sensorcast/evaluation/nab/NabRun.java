package io.sensorcast.evaluation.nab;

import io.sensorcast.connectors.format.IsoInstants;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.evaluation.bench.JobMetricsReporter;
import io.sensorcast.evaluation.stack.LocalStack;
import io.sensorcast.evaluation.stack.OutputReader;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.serving.OrtNetwork;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.job.JobConfiguration;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;

/**
 * NAB through the live pipeline, for {@code sensorcast nab}: every file one sensor, replayed one
 * after another on one clock (each starting a day after the previous ends) into ForecastJob on a
 * {@link LocalStack}, with a retraining round after the first {@code firstModelAfter} readings of a
 * file and every {@code retrainEvery} after; the alert score of each row read back from the scores
 * topic.
 */
public final class NabRun {

    /**
     * A file's rows as read, the alert score of each (0 where none was made), the forecast the job
     * scored it against (NaN where it scored none) and that forecast's bands: {@code lower[l][i]}
     * and {@code upper[l][i]} at {@code levels.level(l)} for row {@code i}, NaN where none.
     */
    public record Scored(
            Path file,
            List<SensorReading> rows,
            double[] alerts,
            double[] forecasts,
            IntervalLevels levels,
            double[][] lower,
            double[][] upper) {}

    /** A file as replayed: its sensor, the clock shift applied, its rows in file order. */
    private record Replayed(Path file, String sensor, long shift, List<SensorReading> rows) {}

    private final int firstModelAfter;
    private final int retrainEvery;
    private final int epochs;
    private final ServingEngine engine;
    private final Map<String, String> conf;
    private final IntervalLevels levels;
    private final PrintWriter progress;

    /** Score records by sensor and target time, as read from the scores topic. */
    private final Map<String, Map<Long, ScoreRecord>> scores = new ConcurrentHashMap<>();

    public NabRun(
            int firstModelAfter,
            int retrainEvery,
            int epochs,
            ServingEngine engine,
            Map<String, String> conf,
            PrintWriter progress) {
        if (firstModelAfter < 2 || retrainEvery < 1) {
            throw new IllegalArgumentException(
                    "--first-model-after must be >= 2 and --retrain-every >= 1, got "
                            + firstModelAfter
                            + " and "
                            + retrainEvery);
        }
        this.firstModelAfter = firstModelAfter;
        this.retrainEvery = retrainEvery;
        this.epochs = epochs;
        this.engine = engine;
        Configuration given = Configuration.fromMap(conf);
        JobConfiguration.checkKeys(given); // a typo fails before the stack starts
        ForecastOptions.detector(given);
        this.levels = ForecastOptions.intervalLevels(given);
        this.conf = Map.copyOf(conf);
        this.progress = progress;
    }

    /** Runs every file through the pipeline; a line of progress per file. */
    public List<Scored> run(List<Path> files) throws Exception {
        // A window forecast alike whatever shares its batch: batches depend on timing, and a
        // unit in the last place of a near-perfect forecast would make runs differ. For this run
        // only: the JVM may run other commands after it (the CLI's tests do).
        String previous = System.setProperty(OrtNetwork.BATCH_INVARIANT_PROPERTY, "true");
        try {
            return replayAll(files);
        } finally {
            if (previous == null) {
                System.clearProperty(OrtNetwork.BATCH_INVARIANT_PROPERTY);
            } else {
                System.setProperty(OrtNetwork.BATCH_INVARIANT_PROPERTY, previous);
            }
        }
    }

    private List<Scored> replayAll(List<Path> files) throws Exception {
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
                                            .put(IsoInstants.parse(s.targetTs()), s);
                                }
                            });
            long clock = 0;
            for (Path file : files) {
                String sensor = CsvReadings.sensorFromFilename(file);
                List<SensorReading> rows = CsvReadings.read(file, sensor);
                if (replayed.isEmpty()) {
                    clock = rows.get(0).timestamp;
                }
                Replayed r = new Replayed(file, sensor, clock - rows.get(0).timestamp, rows);
                replay(stack, reader, r, clock);
                replayed.add(r);
                clock = rows.get(rows.size() - 1).timestamp + r.shift() + 86_400_000L;
                progress.printf(
                        Locale.ROOT,
                        "[%4ds] %2d/%d %s: %d rows, %d scored%n",
                        (System.nanoTime() - began) / 1_000_000_000L,
                        replayed.size(),
                        files.size(),
                        sensor,
                        rows.size(),
                        scores.getOrDefault(sensor, Map.of()).size());
                progress.flush();
            }
            awaitQuiet(reader, Duration.ofSeconds(3), Duration.ofSeconds(60));
        }
        List<Scored> out = new ArrayList<>();
        for (Replayed r : replayed) {
            out.add(scored(r));
        }
        return out;
    }

    /**
     * A file's rows with the score of each, its alert score (0 where none was made) and the
     * forecast it was scored against (NaN where none).
     */
    private Scored scored(Replayed r) {
        Map<Long, ScoreRecord> byTarget = scores.getOrDefault(r.sensor(), Map.of());
        double[] alerts = new double[r.rows().size()];
        double[] forecasts = new double[alerts.length];
        double[][] lower = new double[levels.size()][alerts.length];
        double[][] upper = new double[levels.size()][alerts.length];
        for (int l = 0; l < levels.size(); l++) {
            Arrays.fill(lower[l], Double.NaN);
            Arrays.fill(upper[l], Double.NaN);
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < alerts.length; i++) {
            long t = r.rows().get(i).timestamp;
            // a row repeating an earlier row's time (a clock set back an hour) was dropped by
            // the job as a duplicate or late: the score of that time is the earlier row's
            ScoreRecord s = seen.add(t) ? byTarget.get(t + r.shift()) : null;
            alerts[i] = s == null ? 0 : s.alertScore();
            forecasts[i] = s == null ? Double.NaN : s.predicted();
            if (s != null && s.intervals().size() == levels.size()) {
                for (int l = 0; l < levels.size(); l++) {
                    lower[l][i] = s.intervals().get(l).lower();
                    upper[l][i] = s.intervals().get(l).upper();
                }
            }
        }
        return new Scored(r.file(), r.rows(), alerts, forecasts, levels, lower, upper);
    }

    /** The job's and the retraining rounds' settings for NAB. */
    private void configure(Configuration config) {
        config.set(ForecastOptions.HISTORY, 48);
        config.set(ForecastOptions.SERVING_ENGINE, engine);
        // NAB files are in time order (arrival order forecasts each reading as it comes; a row
        // that steps back in time is late): no out-of-orderness to wait for in either order
        config.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ZERO);
        config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
        config.set(RetrainOptions.WINDOW, 48);
        config.set(RetrainOptions.EPOCHS, epochs);
        config.set(RetrainOptions.MIN_READINGS, 250);
        config.set(RetrainOptions.MAX_READINGS, 3000);
        conf.forEach(config::setString);
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

    /**
     * Waits until the forecast job serves {@code version} of {@code group} (nothing to wait for
     * when no version was ever published), so the readings replayed next are forecast by the model
     * trained before them, whenever it arrives: which model forecasts which reading no longer
     * depends on timing.
     */
    private void awaitServed(String group, long version) throws InterruptedException {
        long deadline = System.nanoTime() + SERVE_LIMIT.toNanos();
        while (version > 0 && !JobMetricsReporter.serves(group, version)) {
            if (System.nanoTime() > deadline) {
                progress.printf(
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
