package io.sensorcast.evaluation.bench;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.artifact.ModelRequirements;
import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.retrain.BiLstmTrainer;
import io.sensorcast.pipeline.retrain.CandidateTrainer;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.retrain.RetrainSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;

/**
 * The fleet {@code sensorcast bench} forecasts and the model it serves: N sensors drawn from NAB
 * series, the product's BiLSTM trained on the first series, and that model's bare windows/s.
 *
 * @param sensors sensors in the fleet
 * @param window readings per window
 * @param perSensor forecasts each sensor gets
 */
public record BenchFleet(int sensors, int window, int perSensor) {

    /** The {@code .csv} files of {@code dir}, sorted; fails naming {@code --data} when none. */
    public static List<Path> nabFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("--data " + dir + " holds no .csv files");
            }
            return files;
        }
    }

    /** The NAB series of {@code files}, each one sensor's readings. */
    public static List<List<SensorReading>> series(List<Path> files) throws IOException {
        List<List<SensorReading>> series = new ArrayList<>();
        for (Path f : files) {
            series.add(CsvReadings.read(f, "x"));
        }
        return series;
    }

    /** The bundled NAB realKnownCause series, the fleet benches' readings. */
    public static List<List<SensorReading>> realKnownCause() throws IOException {
        return series(
                nabFiles(
                        io.sensorcast.evaluation.BundledData.dir()
                                .resolve("nab/data/realKnownCause")));
    }

    /** Readings per sensor and pass: its first window and then one for each forecast. */
    public int length() {
        return window + perSensor - 1;
    }

    /**
     * Sensor i replays series i mod {@code series}, from an offset, every 5 minutes at its own
     * offset into the interval (as a fleet reports, not all at one instant): {@link #length()}
     * readings each from its step {@code from} on, interleaved in event-time order. {@code from =
     * length()} gives what the same sensors report next.
     */
    public List<SensorReading> readings(List<List<SensorReading>> series, int from) {
        int length = length();
        long t0 = 1_700_000_000_000L;
        // made as they are read: a pass held whole (a quarter of a million readings, tens of MB)
        // lived through the job's young collections in the same JVM and lengthened their pauses
        return new AbstractList<>() {
            @Override
            public SensorReading get(int k) {
                Objects.checkIndex(k, size());
                int step = from + k / sensors;
                int i = k % sensors;
                List<SensorReading> s = series.get(i % series.size());
                int offset = (i / series.size() * 37) % Math.max(1, s.size() - length);
                return SensorReading.of(
                        "sensor-" + i,
                        // sensors report at their own moment of each interval
                        t0 + step * 300_000L + i * 300_000L / sensors,
                        s.get((offset + step) % s.size()).values[0]);
            }

            @Override
            public int size() {
                return sensors * length;
            }
        };
    }

    /**
     * Trains the product's candidate (the retraining job's {@link BiLstmTrainer}) on {@code csv},
     * with the seasonal channels the job gives its windows ({@code conf}, the job's options), for
     * one epoch, 60/20/20 by time, and saves it to {@code out}.
     */
    public void train(Path csv, int hidden, int layers, Map<String, String> conf, Path out)
            throws Exception {
        Configuration c = new Configuration();
        conf.forEach(c::setString);
        c.set(RetrainOptions.WINDOW, window);
        c.set(RetrainOptions.HIDDEN_SIZE, hidden);
        c.set(RetrainOptions.LAYERS, layers);
        c.set(RetrainOptions.EPOCHS, 1);
        c.set(RetrainOptions.SEASON, Math.min(12, window));
        RetrainSettings settings = RetrainSettings.from(c);
        TimeSeriesTable table = withChannels(CsvReadings.read(csv, "x"), settings.channels());
        int rows = table.rows();
        new BiLstmTrainer()
                .train(
                        new CandidateTrainer.Round(
                                table,
                                csv.getFileName().toString(),
                                new TimeSplit(rows * 6 / 10, rows * 8 / 10, rows),
                                settings,
                                null),
                        out);
    }

    /** One series' values and their seasonal channels as a table, repeated times dropped. */
    private static TimeSeriesTable withChannels(
            List<SensorReading> series, SeasonalChannels channels) {
        List<SensorReading> kept = new ArrayList<>();
        for (SensorReading r : series) {
            if (kept.isEmpty() || r.timestamp > kept.get(kept.size() - 1).timestamp) {
                kept.add(r);
            }
        }
        long[] times = new long[kept.size()];
        double[][] values = new double[1][kept.size()];
        List<String> stamps = new ArrayList<>(kept.size());
        for (int i = 0; i < times.length; i++) {
            times[i] = kept.get(i).timestamp;
            values[0][i] = kept.get(i).values[0];
            stamps.add(Instant.ofEpochMilli(times[i]).toString());
        }
        List<String> names = new ArrayList<>(List.of(SensorReading.VALUE));
        names.addAll(channels.names(names));
        double[][] all = new double[names.size()][];
        all[0] = values[0];
        double[][] derived = channels.of(times, values);
        System.arraycopy(derived, 0, all, 1, derived.length);
        return new TimeSeriesTable(stamps, names, all);
    }

    /**
     * The bare model's windows/s on {@code threads} threads at {@code batchSize}, on the fleet's
     * own windows, after a second of warm-up.
     */
    public double modelRate(
            Path artifact,
            ServingEngine engine,
            List<SensorReading> readings,
            int batchSize,
            int threads,
            double seconds,
            PrintWriter out)
            throws Exception {
        try (ForecastModel model =
                ModelArtifact.load(artifact, ModelRequirements.ANY, ModelArtifact.Limits.DEFAULT)
                        .servedOn(engine)) {
            // every feature (the reading, its seasonal channels) a reading of the fleet
            int features = model.manifest().features().size();
            float[] batch = new float[batchSize * window * features];
            for (int i = 0; i < batchSize; i++) {
                for (int s = 0; s < window; s++) {
                    float v =
                            (float)
                                    readings.get((i * 7919 + s * sensors) % readings.size())
                                            .values[0];
                    Arrays.fill(
                            batch, (i * window + s) * features, (i * window + s + 1) * features, v);
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                predictOnEach(pool, threads, model, batch, batchSize, 1.0);
                double rate = 0;
                for (long[] r : predictOnEach(pool, threads, model, batch, batchSize, seconds)) {
                    rate += r[0] * (double) batchSize / (r[1] / 1e9);
                }
                out.printf(
                        Locale.ROOT,
                        "bare model on %s: %.0f windows/s (batch %d, %d threads x 1 intra-op"
                                + " thread)%n",
                        model.serving().engine(),
                        rate,
                        batchSize,
                        threads);
                return rate;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Forward passes on every thread for {@code seconds}: per thread, calls and nanoseconds. */
    private static List<long[]> predictOnEach(
            ExecutorService pool,
            int threads,
            ForecastModel model,
            float[] batch,
            int batchSize,
            double seconds)
            throws Exception {
        List<Future<long[]>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            runs.add(pool.submit(() -> predictFor(model, batch, batchSize, seconds)));
        }
        List<long[]> out = new ArrayList<>();
        for (Future<long[]> f : runs) {
            out.add(f.get());
        }
        return out;
    }

    private static long[] predictFor(
            ForecastModel model, float[] batch, int batchSize, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long calls = 0;
        long now;
        do {
            model.predict(batch, batchSize);
            calls++;
            now = System.nanoTime();
        } while (now < deadline);
        return new long[] {calls, now - start};
    }
}
