package io.sensorcast.cli;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.CsvReadings;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.artifact.ModelRequirements;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineSettings;
import io.sensorcast.model.serving.ServingEngine;
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
import org.apache.flink.core.execution.JobClient;
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

    @Option(
            names = "--serving-engine",
            defaultValue = "AUTO",
            description =
                    "auto, onnxruntime or pytorch (sensorcast.models.serving-engine; default:"
                            + " ${DEFAULT-VALUE}).")
    ServingEngine engine;

    @Option(
            names = "--latency-load",
            defaultValue = "0.5",
            description =
                    "Then replay at this fraction of the BiLSTM job's measured maximum and report"
                            + " reading-to-forecast latency at that load; 0 skips it (default:"
                            + " ${DEFAULT-VALUE}).")
    double latencyLoad;

    @Option(
            names = {"-D", "--conf"},
            paramLabel = "KEY=VALUE",
            description =
                    "A job option (sensorcast.*) or Flink option for every run, e.g. -D"
                            + " pipeline.auto-watermark-interval=10ms.")
    java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int p = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        check("--sensors", sensors, 1, 1_000_000);
        check("--forecasts-per-sensor", perSensor, 1, 1_000_000);
        check("--window", window, 2, 10_000);
        check("--batch-size", batchSize, 1, 65_536);
        check("--parallelism", p, 1, 1024);
        if (!(latencyLoad >= 0 && latencyLoad < 1)) {
            throw new IllegalArgumentException(
                    "--latency-load must be in [0, 1), got " + latencyLoad);
        }
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
            config.set(ModelStoreOptions.ROOT, work.resolve("models").toString());
            config.set(ForecastOptions.WINDOW, window);
            config.set(ForecastOptions.GROUPS, "sensor-.*=fleet");
            config.set(ForecastOptions.BATCH_SIZE, batchSize);
            config.set(ForecastOptions.SERVING_ENGINE, engine);
            conf.forEach(config::setString);

            Properties client = new Properties();
            client.setProperty("bootstrap.servers", kafka.bootstrapServers());
            Replayer replayer = new Replayer(client);
            replayer.ensureTopic("sensorcast.readings", 2 * p);
            Replayer.Result sent =
                    replayer.replay(
                            readings, "sensorcast.readings", new Pacing.Max(), (a, b, c) -> {});
            out.printf(
                    Locale.ROOT,
                    "%d sensors, %d readings on Kafka: replay %.0f records/s%n",
                    sensors,
                    sent.records(),
                    sent.recordsPerSecond());

            double modelRate = modelRate(artifact, readings, p, out);
            out.flush();

            Run baseline = runJob(config, "persistence", p, work, null, expected);
            new ModelPublisher(config, "bench").publish("fleet", artifact);
            Run model = runJob(config, "model", p, work, null, expected);
            out.printf(Locale.ROOT, "%nForecastJob, %d sensors, parallelism %d:%n", sensors, p);
            baseline.print(out, "persistence forecaster");
            model.print(out, "BiLSTM");
            out.printf(Locale.ROOT, "  bare model             %10.0f windows/s%n", modelRate);
            out.printf(
                    Locale.ROOT,
                    "  ratio BiLSTM job / bare model       %6.3f (target >= 0.8)%n",
                    model.steady / modelRate);
            out.printf(
                    Locale.ROOT,
                    "  ratio BiLSTM job / persistence job  %6.3f%n",
                    model.steady / baseline.steady);
            if (latencyLoad > 0) {
                double rate = latencyLoad * model.steady;
                replayer.ensureTopic("sensorcast.readings.paced", 2 * p);
                config.set(KafkaOptions.READINGS_TOPIC, "sensorcast.readings.paced");
                Run paced =
                        runJob(
                                config,
                                "paced",
                                p,
                                work,
                                () ->
                                        replayer.replay(
                                                readings,
                                                "sensorcast.readings.paced",
                                                new Pacing.Rate(rate),
                                                (a, b, c) -> {}),
                                // the newest step waits for a watermark no later reading brings
                                expected - sensors);
                out.printf(
                        Locale.ROOT,
                        "  at %.0f readings/s (%.0f%% of the BiLSTM job's maximum):"
                                + " reading->forecast p50 %d ms, p99 %d ms (last %d forecasts)%n",
                        rate,
                        100 * latencyLoad,
                        paced.p50,
                        paced.p99,
                        paced.latencies);
            }
        } finally {
            TempDirs.deleteQuietly(work);
        }
        return 0;
    }

    /** One job run's figures. */
    private record Run(
            double steady, double seconds, long forecasts, long p50, long p99, int latencies) {
        void print(PrintWriter out, String what) {
            out.printf(
                    Locale.ROOT,
                    "  %-22s %10.0f forecasts/s steady (10%%-90%%); %d forecasts in %.1f s;"
                            + " reading->forecast p50 %d ms, p99 %d ms%n",
                    what,
                    steady,
                    forecasts,
                    seconds,
                    p50,
                    p99);
        }
    }

    /**
     * Runs ForecastJob over the readings topic until {@code expected} forecasts are made: bounded
     * at the topic's end when {@code feed} is null, else unbounded while {@code feed} publishes,
     * and cancelled once every forecast is counted (or after ten minutes).
     */
    private Run runJob(
            Configuration base, String name, int p, Path work, Callable<?> feed, int expected)
            throws Exception {
        Configuration config = new Configuration(base);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "bench-" + name);
        config.set(KafkaOptions.FORECASTS_TOPIC, "sensorcast.forecasts." + name);
        Configuration flink = new Configuration();
        conf.forEach(flink::setString);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        flink.setString(
                "metrics.reporter." + BenchReporter.NAME + ".factory.class",
                BenchReporter.Factory.class.getName());
        BenchReporter.reset();
        JobOptions.localCheckpoints(flink, work.resolve("checkpoints-" + name));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(p);
        env.enableCheckpointing(1000);
        ForecastJob.fromKafka(env, config, feed == null);

        List<long[]> progress = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> progress.add(new long[] {System.nanoTime(), BenchReporter.forecasts()}),
                0,
                100,
                TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        try {
            if (feed == null) {
                env.execute("sensorcast-bench-" + name);
            } else {
                JobClient job = env.executeAsync("sensorcast-bench-" + name);
                try {
                    feed.call();
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                    while (BenchReporter.forecasts() < expected && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                } finally {
                    job.cancel().get();
                }
            }
        } finally {
            sampler.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long n = BenchReporter.forecasts();
        if (n < expected) {
            spec.commandLine()
                    .getOut()
                    .printf(Locale.ROOT, "WARNING: %d of %d windows were forecast%n", n, expected);
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
        return new Run(
                steady,
                seconds,
                n,
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                latencies.length);
    }

    /** The bare model's windows/s on {@code threads} threads, on the job's own windows. */
    private double modelRate(
            Path artifact, List<SensorReading> readings, int threads, PrintWriter out)
            throws Exception {
        float[] batch = new float[batchSize * window];
        for (int i = 0; i < batchSize; i++) {
            for (int s = 0; s < window; s++) {
                batch[i * window + s] =
                        (float) readings.get((i * 7919 + s * sensors) % readings.size()).values[0];
            }
        }
        try (ForecastModel model =
                ModelArtifact.load(
                        artifact, ModelRequirements.ANY, ModelArtifact.Limits.DEFAULT, engine)) {
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
     * Sensor i replays series i mod the files, from an offset, every 5 minutes at its own offset
     * into the interval (as a fleet reports, not all at one instant): window + forecasts-per-sensor
     * - 1 readings each, interleaved in event-time order.
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
                                // sensors report at their own moment of each interval
                                t0 + step * 300_000L + i * 300_000L / sensors,
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
