package io.sensorcast.cli;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineSettings;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.store.ModelPublisher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.apache.flink.configuration.Configuration;
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

    @CommandLine.Mixin ServingEngineOption serving = new ServingEngineOption();

    @Option(
            names = "--latency-load",
            defaultValue = "0.5",
            description =
                    "Then replay at this fraction of the BiLSTM job's measured maximum and report"
                            + " reading-to-forecast latency at that load; 0 skips it (default:"
                            + " ${DEFAULT-VALUE}).")
    double latencyLoad;

    @Option(
            names = "--latency-warm-up-passes",
            defaultValue = "5",
            description =
                    "The latency is measured over a pass of the fleet's readings once the JIT"
                            + " compiler threads took under 5%% of the CPU over the pass before, or"
                            + " after this many passes (default: ${DEFAULT-VALUE}).")
    int warmUpPasses;

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
        check("--latency-warm-up-passes", warmUpPasses, 1, 100);
        if (!(latencyLoad >= 0 && latencyLoad < 1)) {
            throw new IllegalArgumentException(
                    "--latency-load must be in [0, 1), got " + latencyLoad);
        }
        DjlRuntime.engine(EngineSettings.defaults().withIntraOpThreads(1));
        BenchFleet fleet = new BenchFleet(sensors, window, perSensor);
        List<Path> files =
                BenchFleet.nabFiles(
                        data != null
                                ? data
                                : Defaults.dataDir().resolve("nab/data/realKnownCause"));
        List<List<SensorReading>> series = BenchFleet.series(files);
        List<SensorReading> readings = fleet.readings(series, 0);
        try (LocalStack stack = LocalStack.start("bench")) {
            out.printf(
                    Locale.ROOT,
                    "training a %dx%dx%d BiLSTM on %s ...%n",
                    window,
                    hidden,
                    layers,
                    files.get(0).getFileName());
            out.flush();
            Path artifact = stack.work().resolve("artifact");
            fleet.train(files.get(0), hidden, layers, conf, artifact);
            measure(stack, fleet, series, readings, artifact, p, out);
        }
        return 0;
    }

    /** The model group of the measured runs. */
    private static final String FLEET = "fleet";

    /** The model group and run name of the uncounted first run. */
    private static final String WARM_UP = "warm-up";

    /**
     * Puts the fleet's readings on {@code stack}'s broker, then measures the bare model and the job
     * alone, with the model and (with {@code --latency-load}) paced, and prints the figures.
     */
    private void measure(
            LocalStack stack,
            BenchFleet fleet,
            List<List<SensorReading>> series,
            List<SensorReading> readings,
            Path artifact,
            int p,
            PrintWriter out)
            throws Exception {
        Configuration config = stack.job();
        config.set(ForecastOptions.WINDOW, window);
        config.set(ForecastOptions.MIN_WINDOW, window); // complete windows only
        config.set(ForecastOptions.GROUPS, "sensor-.*=" + FLEET);
        config.set(ForecastOptions.BATCH_SIZE, batchSize);
        config.set(ForecastOptions.SERVING_ENGINE, serving.engine);
        conf.forEach(config::setString);
        stack.ensureReadings(2 * p);
        Replayer.Result sent =
                stack.replayer()
                        .replay(
                                readings,
                                config.get(KafkaOptions.READINGS_TOPIC),
                                new Pacing.Max(),
                                (a, b, c) -> {});
        out.printf(
                Locale.ROOT,
                "%d sensors, %d readings on Kafka: replay %.0f records/s%n",
                sensors,
                sent.records(),
                sent.recordsPerSecond());
        double modelRate =
                fleet.modelRate(
                        artifact, serving.engine, readings, batchSize, p, modelSeconds, out);
        out.flush();
        int expected = sensors * perSensor;
        // A first run of the job over the same readings, with the model (published for a group of
        // its own, so that the persistence run still has none), not counted: the JIT compiles the
        // broker's, Flink's, the job's and the serving path's code while it runs, which otherwise
        // falls on the measured runs (the compiler threads took a fifth of their CPU).
        Configuration warm = new Configuration(config);
        warm.set(ForecastOptions.GROUPS, "sensor-.*=" + WARM_UP);
        new ModelPublisher(warm, "bench").publish(WARM_UP, artifact);
        BenchRun warmUp = BenchRun.measure(stack, warm, conf, WARM_UP, p, null, expected, out);
        out.printf(
                Locale.ROOT,
                "warm-up run (the BiLSTM, not counted): %.0f forecasts/s (%d by persistence)%n",
                warmUp.steady(),
                warmUp.baseline());
        BenchRun baseline =
                BenchRun.measure(stack, config, conf, "persistence", p, null, expected, out);
        new ModelPublisher(config, "bench").publish(FLEET, artifact);
        BenchRun model = BenchRun.measure(stack, config, conf, "model", p, null, expected, out);
        BenchRun.print(out, sensors, p, baseline, model, modelRate);
        if (latencyLoad > 0) {
            // The maximum above reads a topic filled before the job started; fed live, the same
            // cores also produce the readings and append them on the broker
            IntFunction<List<SensorReading>> passes =
                    k -> k == 0 ? readings : fleet.readings(series, k * fleet.length());
            // the newest step of a pass waits for a watermark the next pass brings
            int firstForecasts = expected - sensors;
            out.printf(Locale.ROOT, "%nReadings fed while the job runs (the BiLSTM):%n");
            BenchRun live =
                    BenchRun.live(
                            stack,
                            config,
                            conf,
                            "live",
                            passes,
                            p,
                            0,
                            firstForecasts,
                            warmUpPasses,
                            out);
            live.printLive(out, 0, 1);
            out.printf(
                    Locale.ROOT,
                    "  ratio BiLSTM job fed live / bare model %6.3f (target >= 0.8)%n",
                    live.steady() / modelRate);
            double rate = latencyLoad * live.steady();
            BenchRun paced =
                    BenchRun.live(
                            stack,
                            config,
                            conf,
                            "paced",
                            passes,
                            p,
                            rate,
                            firstForecasts,
                            warmUpPasses,
                            out);
            paced.printLive(out, rate, latencyLoad);
        }
    }

    private static void check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(
                    name + " must be in [" + min + ", " + max + "], got " + v);
        }
    }
}
