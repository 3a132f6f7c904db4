package io.sensorcast.evaluation.bench;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.evaluation.BundledData;
import io.sensorcast.evaluation.stack.LocalStack;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineSettings;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.store.ModelPublisher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.flink.configuration.Configuration;

/**
 * {@code sensorcast bench}: ForecastJob end to end (embedded broker, MiniCluster, exactly-once)
 * against the bare model at the same batch size and parallelism, measured in the same run. It
 * trains a BiLSTM on the first series, puts the fleet's readings on the broker, measures the bare
 * model, then the job with persistence and with the model at maximum rate, and (with a latency
 * load) the job fed live and paced.
 */
public final class ForecastBench {

    /**
     * What one bench measures; each value is checked here, named by its command-line flag.
     *
     * @param data NAB series to draw sensors from; null for the bundled realKnownCause
     * @param latencyLoad the fraction of the live maximum the paced run is fed at; 0 skips the live
     *     runs
     * @param conf job or Flink options for every run
     */
    public record Settings(
            int sensors,
            int perSensor,
            int window,
            int hidden,
            int layers,
            int batchSize,
            int parallelism,
            Path data,
            double modelSeconds,
            ServingEngine engine,
            double latencyLoad,
            int warmUpPasses,
            Map<String, String> conf) {

        public Settings {
            check("--sensors", sensors, 1, 1_000_000);
            check("--forecasts-per-sensor", perSensor, 1, 1_000_000);
            check("--window", window, 2, 10_000);
            check("--batch-size", batchSize, 1, 65_536);
            check("--parallelism", parallelism, 1, 1024);
            check("--latency-warm-up-passes", warmUpPasses, 1, 100);
            if (!(latencyLoad >= 0 && latencyLoad < 1)) {
                throw new IllegalArgumentException(
                        "--latency-load must be in [0, 1), got " + latencyLoad);
            }
            conf = new LinkedHashMap<>(conf);
        }

        private static void check(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(
                        name + " must be in [" + min + ", " + max + "], got " + v);
            }
        }
    }

    /** The model group of the measured runs. */
    private static final String FLEET = "fleet";

    /** The model group and run name of the uncounted first run. */
    private static final String WARM_UP = "warm-up";

    private final Settings s;
    private final PrintWriter out;
    private final BenchFleet fleet;

    public ForecastBench(Settings settings, PrintWriter out) {
        this.s = settings;
        this.out = out;
        this.fleet = new BenchFleet(s.sensors(), s.window(), s.perSensor());
    }

    /**
     * Runs the bench, printing each figure as it is measured; returns the figures by their JSON
     * names.
     */
    public Map<String, Object> run() throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sensors", s.sensors());
        figures.put("parallelism", s.parallelism());
        DjlRuntime.engine(EngineSettings.defaults().withIntraOpThreads(1));
        Path dir =
                s.data() != null ? s.data() : BundledData.dir().resolve("nab/data/realKnownCause");
        List<Path> files = BenchFleet.nabFiles(dir);
        List<List<SensorReading>> series = BenchFleet.series(files);
        try (LocalStack stack = LocalStack.start("bench")) {
            out.printf(
                    Locale.ROOT,
                    "training a %dx%dx%d BiLSTM on %s ...%n",
                    s.window(),
                    s.hidden(),
                    s.layers(),
                    files.get(0).getFileName());
            out.flush();
            Path artifact = stack.work().resolve("artifact");
            fleet.train(files.get(0), s.hidden(), s.layers(), s.conf(), artifact);
            Configuration config = jobConfiguration(stack);
            List<SensorReading> readings = fleet.readings(series, 0);
            double modelRate = feed(stack, config, readings, artifact);
            figures.put("bare_model_windows_per_s", modelRate);
            maximum(stack, config, artifact, modelRate, figures);
            if (s.latencyLoad() > 0) {
                IntFunction<List<SensorReading>> passes =
                        k -> k == 0 ? readings : fleet.readings(series, k * fleet.length());
                live(stack, config, passes, modelRate, figures);
            }
        }
        return figures;
    }

    private Configuration jobConfiguration(LocalStack stack) {
        Configuration config = stack.job();
        config.set(ForecastOptions.HISTORY, s.window());
        config.set(ForecastOptions.MIN_WINDOW, s.window()); // complete windows only
        config.set(ForecastOptions.GROUPS, "sensor-.*=" + FLEET);
        config.set(ForecastOptions.BATCH_SIZE, s.batchSize());
        config.set(ForecastOptions.SERVING_ENGINE, s.engine());
        s.conf().forEach(config::setString);
        return config;
    }

    /** Puts the fleet's readings on the broker, then measures the bare model on them. */
    private double feed(
            LocalStack stack, Configuration config, List<SensorReading> readings, Path artifact)
            throws Exception {
        stack.ensureReadings(2 * s.parallelism());
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
                s.sensors(),
                sent.records(),
                sent.recordsPerSecond());
        double modelRate =
                fleet.modelRate(
                        artifact,
                        s.engine(),
                        readings,
                        s.batchSize(),
                        s.parallelism(),
                        s.modelSeconds(),
                        out);
        out.flush();
        return modelRate;
    }

    private int expected() {
        return s.sensors() * s.perSensor();
    }

    /** The job at maximum rate over the readings on the topic: warm-up, persistence, the model. */
    private void maximum(
            LocalStack stack,
            Configuration config,
            Path artifact,
            double modelRate,
            Map<String, Object> figures)
            throws Exception {
        // A first run of the job over the same readings, with the model (published for a group of
        // its own, so that the persistence run still has none), not counted: the JIT compiles the
        // broker's, Flink's, the job's and the serving path's code while it runs, which otherwise
        // falls on the measured runs (the compiler threads took a fifth of their CPU).
        Configuration warm = new Configuration(config);
        warm.set(ForecastOptions.GROUPS, "sensor-.*=" + WARM_UP);
        new ModelPublisher(warm, "bench").publish(WARM_UP, artifact);
        BenchRun warmUp = bounded(stack, warm, WARM_UP);
        out.printf(
                Locale.ROOT,
                "warm-up run (the BiLSTM, not counted): %.0f forecasts/s (%d by persistence)%n",
                warmUp.steady(),
                warmUp.baseline());
        BenchRun baseline = bounded(stack, config, "persistence");
        new ModelPublisher(config, "bench").publish(FLEET, artifact);
        BenchRun model = bounded(stack, config, "model");
        BenchRun.print(out, s.sensors(), s.parallelism(), baseline, model, modelRate);
        figures.put("persistence_forecasts_per_s", baseline.steady());
        figures.put("bilstm_forecasts_per_s", model.steady());
        figures.put("cpu_us_per_forecast_persistence", baseline.cpuMicros());
        figures.put("cpu_us_per_forecast_bilstm", model.cpuMicros());
        figures.put("bilstm_job_over_bare_model", model.steady() / modelRate);
    }

    private BenchRun bounded(LocalStack stack, Configuration config, String name) throws Exception {
        return BenchRun.measure(
                stack, config, s.conf(), name, s.parallelism(), null, expected(), out);
    }

    /**
     * The maximum above reads a topic filled before the job started; fed live, the same cores also
     * produce the readings and append them on the broker. Then paced at the latency load.
     */
    private void live(
            LocalStack stack,
            Configuration config,
            IntFunction<List<SensorReading>> passes,
            double modelRate,
            Map<String, Object> figures)
            throws Exception {
        out.printf(Locale.ROOT, "%nReadings fed while the job runs (the BiLSTM):%n");
        BenchRun live = fed(stack, config, "live", passes, 0);
        live.printLive(out, 0, 1);
        out.printf(
                Locale.ROOT,
                "  ratio BiLSTM job fed live / bare model %6.3f (target >= 0.8)%n",
                live.steady() / modelRate);
        double rate = s.latencyLoad() * live.steady();
        BenchRun paced = fed(stack, config, "paced", passes, rate);
        paced.printLive(out, rate, s.latencyLoad());
        figures.put("live_bilstm_forecasts_per_s", live.steady());
        figures.put("paced_forecasts_per_s", rate);
        figures.put("paced_in_job_latency_p50_ms", paced.latency().p50());
        figures.put("paced_in_job_latency_p99_ms", paced.latency().p99());
    }

    private BenchRun fed(
            LocalStack stack,
            Configuration config,
            String name,
            IntFunction<List<SensorReading>> passes,
            double rate)
            throws Exception {
        // the newest step of a pass waits for a watermark the next pass brings
        int firstForecasts = expected() - s.sensors();
        return BenchRun.live(
                stack,
                config,
                s.conf(),
                name,
                passes,
                s.parallelism(),
                rate,
                firstForecasts,
                s.warmUpPasses(),
                out);
    }
}
