package io.sensorcast.cli;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.CsvReadings;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineSettings;
import io.sensorcast.model.training.TrainingOptions;
import io.sensorcast.model.training.TrainingRun;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.store.ModelPublisher;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast bench}: ForecastJob end to end (embedded broker, MiniCluster, exactly-once)
 * against the bare model at the same batch size and parallelism, measured in the same run.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark ForecastJob end to end: N sensors' readings (real NAB series) are put on an"
                    + " embedded Kafka broker, then the job (Flink MiniCluster, exactly-once sinks)"
                    + " forecasts all of them at maximum rate. Prints forecasts/s, the bare model's"
                    + " windows/s on the same windows at the same batch size and parallelism"
                    + " (measured just before, in this JVM), their ratio, and reading-to-forecast"
                    + " latency percentiles.",
            "Forecasts/s is the steady rate between 10%% and 90%% of the forecasts, from the job's"
                    + " own forecasts counter; latency (the job's readingToForecastMillis histogram)"
                    + " is from a reading's arrival in the job to its forecast."
        })
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--sensors", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
    int sensors;

    @Option(
            names = "--forecasts-per-sensor",
            defaultValue = "200",
            description = "Default: ${DEFAULT-VALUE}.")
    int perSensor;

    @Option(names = "--window", defaultValue = "48", description = "Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--hidden", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(
            names = "--batch-size",
            defaultValue = "256",
            description = "Windows per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "Subtasks, one libtorch thread each (default: one per core).")
    Integer parallelism;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "NAB series to draw sensors from (default: the bundled realKnownCause).")
    Path data;

    @Option(
            names = "--model-seconds",
            defaultValue = "5",
            description = "How long the bare model is measured (default: ${DEFAULT-VALUE}).")
    double modelSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int p = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        check("--sensors", sensors, 1, 1_000_000);
        check("--forecasts-per-sensor", perSensor, 1, 1_000_000);
        check("--window", window, 2, 10_000);
        check("--batch-size", batchSize, 1, 65_536);
        check("--parallelism", p, 1, 1024);
        DjlRuntime.engine(EngineSettings.defaults().withIntraOpThreads(1));
        Path work = Files.createTempDirectory("sensorcast-bench");
        List<Path> files = nabFiles();

        out.printf(
                Locale.ROOT,
                "training a %dx%dx%d BiLSTM on %s ...%n",
                window,
                hidden,
                layers,
                files.get(0).getFileName());
        out.flush();
        Path artifact = work.resolve("artifact");
        train(files.get(0), artifact);
        List<SensorReading> readings = readings(files);
        int expected = sensors * perSensor;

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config = new Configuration();
            config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            config.set(KafkaOptions.STARTING_OFFSETS, "earliest");
            config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "bench");
            config.set(ModelStoreOptions.ROOT, work.resolve("models").toString());
            config.set(ForecastOptions.WINDOW, window);
            config.set(ForecastOptions.GROUPS, "sensor-.*=fleet");
            config.set(ForecastOptions.BATCH_SIZE, batchSize);
            new ModelPublisher(config, "bench").publish("fleet", artifact);

            Properties client = new Properties();
            client.setProperty("bootstrap.servers", kafka.bootstrapServers());
            Replayer replayer = new Replayer(client);
            replayer.ensureTopic("sensorcast.readings", 2 * p);
            Replayer.Result sent =
                    replayer.replay(
                            readings, "sensorcast.readings", new Pacing.Max(), (a, b, c) -> {});
            out.printf(
                    Locale.ROOT,
                    "%d sensors, %d readings on Kafka (%.0f records/s)%n",
                    sensors,
                    sent.records(),
                    sent.recordsPerSecond());

            double modelRate = modelRate(artifact, readings, p);
            out.printf(
                    Locale.ROOT,
                    "bare model: %.0f windows/s (batch %d, %d threads x 1 libtorch thread)%n",
                    modelRate,
                    batchSize,
                    p);
            out.flush();

            Configuration flink = new Configuration();
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            flink.setString(
                    "metrics.reporter." + BenchReporter.NAME + ".factory.class",
                    BenchReporter.Factory.class.getName());
            BenchReporter.reset();
            JobOptions.localCheckpoints(flink, work.resolve("checkpoints"));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.setParallelism(p);
            env.enableCheckpointing(1000);
            ForecastJob.fromKafka(env, config, true);

            List<long[]> progress = new CopyOnWriteArrayList<>();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(
                    () -> progress.add(new long[] {System.nanoTime(), BenchReporter.forecasts()}),
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            try {
                env.execute("sensorcast-bench");
            } finally {
                sampler.shutdownNow();
            }
            double jobSeconds = (System.nanoTime() - start) / 1e9;
            report(out, progress, expected, jobSeconds, modelRate);
        } finally {
            TempDirs.deleteQuietly(work);
        }
        return 0;
    }

    private void report(
            PrintWriter out,
            List<long[]> progress,
            int expected,
            double jobSeconds,
            double modelRate) {
        long n = BenchReporter.forecasts();
        if (n < expected) {
            out.printf(Locale.ROOT, "WARNING: %d of %d windows were forecast%n", n, expected);
        }
        // steady rate: from the sample where 10% were done to the one where 90% were
        long[] lo = progress.stream().filter(s -> s[1] >= n / 10).findFirst().orElseThrow();
        long[] hi = progress.stream().filter(s -> s[1] >= n * 9 / 10).findFirst().orElseThrow();
        double steady = (hi[1] - lo[1]) / Math.max(1e-9, (hi[0] - lo[0]) / 1e9);
        long[] latencies =
                BenchReporter.LATENCIES.stream()
                        .flatMapToLong(h -> Arrays.stream(h.getStatistics().getValues()))
                        .sorted()
                        .toArray();
        out.printf(Locale.ROOT, "%nForecastJob, %d forecasts:%n", n);
        out.printf(
                Locale.ROOT,
                "  end to end          %10.0f forecasts/s (steady, 10%%-90%%)%n",
                steady);
        out.printf(
                Locale.ROOT,
                "  whole job           %10.0f forecasts/s (%.1f s incl. start-up and final"
                        + " commit)%n",
                n / jobSeconds,
                jobSeconds);
        out.printf(Locale.ROOT, "  bare model          %10.0f windows/s%n", modelRate);
        out.printf(
                Locale.ROOT, "  ratio job/model     %10.3f (target >= 0.8)%n", steady / modelRate);
        out.printf(
                Locale.ROOT,
                "  reading->forecast   p50 %d ms, p99 %d ms (last %d forecasts)%n",
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                latencies.length);
    }

    /** The bare model's windows/s on {@code threads} threads, on the job's own windows. */
    private double modelRate(Path artifact, List<SensorReading> readings, int threads)
            throws Exception {
        float[] batch = new float[batchSize * window];
        for (int i = 0; i < batchSize; i++) {
            for (int s = 0; s < window; s++) {
                batch[i * window + s] =
                        (float) readings.get((i * 7919 + s * sensors) % readings.size()).values[0];
            }
        }
        try (ForecastModel model = ModelArtifact.load(artifact)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<long[]>> runs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    runs.add(pool.submit(() -> predictFor(model, batch, 1.0)));
                }
                for (Future<long[]> f : runs) {
                    f.get();
                }
                runs.clear();
                for (int t = 0; t < threads; t++) {
                    runs.add(pool.submit(() -> predictFor(model, batch, modelSeconds)));
                }
                double rate = 0;
                for (Future<long[]> f : runs) {
                    long[] r = f.get();
                    rate += r[0] * (double) batchSize / (r[1] / 1e9);
                }
                return rate;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private long[] predictFor(ForecastModel model, float[] batch, double seconds) {
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

    /**
     * Sensor i replays series i mod the files, from an offset, on one shared 5-minute grid: window
     * + forecasts-per-sensor - 1 readings each, interleaved in event-time order.
     */
    private List<SensorReading> readings(List<Path> files) throws IOException {
        List<List<SensorReading>> series = new ArrayList<>();
        for (Path f : files) {
            series.add(CsvReadings.read(f, "x"));
        }
        int length = window + perSensor - 1;
        long t0 = 1_700_000_000_000L;
        List<SensorReading> out = new ArrayList<>(sensors * length);
        for (int step = 0; step < length; step++) {
            for (int i = 0; i < sensors; i++) {
                List<SensorReading> s = series.get(i % series.size());
                int offset = (i / series.size() * 37) % Math.max(1, s.size() - length);
                out.add(
                        SensorReading.of(
                                "sensor-" + i,
                                t0 + step * 300_000L,
                                s.get((offset + step) % s.size()).values[0]));
            }
        }
        return out;
    }

    private void train(Path csv, Path out) throws Exception {
        TimeSeriesTable table = TimeSeriesTable.readCsv(csv);
        int rows = table.rows();
        TrainingRun run =
                new TrainingRun(
                        table,
                        csv.getFileName().toString(),
                        List.of(),
                        List.of("value"),
                        new WindowSpec(window, 1, 1),
                        new TimeSplit(rows * 6 / 10, rows * 8 / 10, rows),
                        Math.min(12, window));
        try (TrainingRun.Outcome o =
                run.train(
                        run.network().optHiddenSize(hidden).optLayers(layers).build(),
                        TrainingOptions.defaults().withEpochs(1),
                        e -> {})) {
            ModelArtifact.save(out, o.trained().block(), o.manifest());
        }
    }

    private List<Path> nabFiles() throws IOException {
        Path dir = data != null ? data : Defaults.dataDir().resolve("nab/data/realKnownCause");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("--data " + dir + " holds no .csv files");
            }
            return files;
        }
    }

    private static void check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(
                    name + " must be in [" + min + ", " + max + "], got " + v);
        }
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0
                ? 0
                : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
    }
}
