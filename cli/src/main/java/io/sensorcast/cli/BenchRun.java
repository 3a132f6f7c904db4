package io.sensorcast.cli;

import com.sun.management.OperatingSystemMXBean;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.pipeline.job.ForecastOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One measured run of ForecastJob for {@code sensorcast bench}: the checkpoint interval it ran
 * with, its steady forecasts/s (between 10% and 90% of the forecasts, from the job's own {@code
 * forecasts} counters, sampled every 100 ms), the process's CPU time per forecast over the same
 * span (broker, job and model threads of this one JVM: a cost that, unlike a rate, other load on
 * the machine hardly moves) and its reading-to-forecast latency percentiles (the job's {@code
 * readingToForecastMillis} histograms).
 */
record BenchRun(
        long checkpointMillis,
        double steady,
        double cpuMicros,
        double jitShare,
        double seconds,
        long forecasts,
        long baseline,
        long p50,
        long p99,
        int latencies) {

    void print(PrintWriter out, String what) {
        out.printf(
                Locale.ROOT,
                "  %-22s %10.0f forecasts/s steady (10%%-90%%), %.0f us CPU a forecast (%.0f%% of"
                        + " it the JIT compiler threads'); %d forecasts (%d by persistence) in %.1f"
                        + " s;"
                        + " reading->forecast p50 %d ms, p99 %d ms%n",
                what,
                steady,
                cpuMicros,
                100 * jitShare,
                forecasts,
                baseline,
                seconds,
                p50,
                p99);
    }

    /** Checkpoints every second, or at {@code -D execution.checkpointing.interval}. */
    private static long checkpointMillis(Configuration flink) {
        return flink.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                .orElse(DEFAULT_CHECKPOINT_INTERVAL)
                .toMillis();
    }

    /**
     * Runs ForecastJob on {@code stack}'s broker with {@code base} (its own transactional ids and
     * forecasts topic, {@code flinkConf} over a MiniCluster of {@code parallelism}) until {@code
     * expected} forecasts are made: bounded at the readings topic's end when {@code feed} is null,
     * else unbounded while {@code feed} publishes, and cancelled once every forecast is counted (or
     * after ten minutes).
     */
    static BenchRun measure(
            LocalStack stack,
            Configuration base,
            Map<String, String> flinkConf,
            String name,
            int parallelism,
            Callable<?> feed,
            int expected,
            PrintWriter out)
            throws Exception {
        Configuration config = new Configuration(base);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "bench-" + name);
        config.set(KafkaOptions.FORECASTS_TOPIC, "sensorcast.forecasts." + name);
        Configuration flink = stack.flink(parallelism, "checkpoints-" + name);
        flinkConf.forEach(flink::setString);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        JobMetricsReporter.register(flink);
        JobMetricsReporter.reset();
        long checkpointMillis = checkpointMillis(flink);
        StreamExecutionEnvironment env =
                LocalStack.forecast(config, flink, checkpointMillis, feed == null);
        env.setParallelism(parallelism);

        List<long[]> progress = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> progress.add(sample(JobMetricsReporter.forecasts())),
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
                    awaitForecasts(expected, TimeUnit.MINUTES.toNanos(10));
                } finally {
                    job.cancel().get();
                }
            }
        } finally {
            sampler.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long n = JobMetricsReporter.forecasts();
        // the last sample: a run shorter than the sampling interval still has one with every count
        progress.add(sample(n));
        if (n < expected) {
            out.printf(Locale.ROOT, "WARNING: %d of %d windows were forecast%n", n, expected);
        }
        return of(checkpointMillis, progress, n, JobMetricsReporter.baselineForecasts(), seconds);
    }

    /**
     * ForecastJob once more, on {@code stack}'s broker, while {@code readings} are fed to a topic
     * of their own at {@code rate} per second, from when all its forecasting subtasks are open: the
     * job's latency at that load.
     */
    static BenchRun paced(
            LocalStack stack,
            Configuration base,
            Map<String, String> flinkConf,
            List<SensorReading> readings,
            int parallelism,
            double rate,
            int expected,
            PrintWriter out)
            throws Exception {
        Configuration config = new Configuration(base);
        config.set(KafkaOptions.READINGS_TOPIC, PACED_TOPIC);
        if (!config.contains(ForecastOptions.LATENCY_SAMPLES)) {
            // the latencies of the last 90% of the run, its start (the model's first load) left
            // out; the histogram's default window would hold its last second or two. At least
            // one: a run expecting none (one forecast per sensor) must not fail the option's check
            config.set(
                    ForecastOptions.LATENCY_SAMPLES,
                    Math.max(1, (int) (0.9 * expected / parallelism)));
        }
        stack.replayer().ensureTopic(PACED_TOPIC, 2 * parallelism);
        return measure(
                stack,
                config,
                flinkConf,
                "paced",
                parallelism,
                () -> {
                    // fed earlier, the readings would queue while the job starts and be forecast
                    // at its maximum rate, with its latency, until it caught up
                    awaitOpen(parallelism, TimeUnit.MINUTES.toNanos(5));
                    return stack.replayer()
                            .replay(readings, PACED_TOPIC, new Pacing.Rate(rate), (a, b, c) -> {});
                },
                expected,
                out);
    }

    private static final String PACED_TOPIC = "sensorcast.readings.paced";

    /** Harder on the job than a cluster's 10 s: a flush and a commit per output every second. */
    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    void printLatency(PrintWriter out, double rate, double load) {
        out.printf(
                Locale.ROOT,
                "  at %.0f readings/s (%.0f%% of the BiLSTM job's maximum):"
                        + " reading->forecast p50 %d ms, p99 %d ms (last %d forecasts);"
                        + " %.0f us CPU a forecast, %.1f of %d cores busy%n",
                rate,
                100 * load,
                p50,
                p99,
                latencies,
                cpuMicros,
                cpuMicros * steady / 1e6,
                Runtime.getRuntime().availableProcessors());
    }

    /** The two job runs beside the bare model, and their ratios. */
    static void print(
            PrintWriter out,
            int sensors,
            int parallelism,
            BenchRun baseline,
            BenchRun model,
            double modelRate) {
        out.printf(
                Locale.ROOT,
                "%nForecastJob, %d sensors, parallelism %d, checkpoints every %d ms:%n",
                sensors,
                parallelism,
                model.checkpointMillis());
        baseline.print(out, "persistence forecaster");
        model.print(out, "BiLSTM");
        if (model.baseline() > model.forecasts() / 10) {
            out.printf(
                    Locale.ROOT,
                    "WARNING: persistence made %d of the BiLSTM run's %d forecasts: the model could"
                            + " not read most windows, so that run does not measure it%n",
                    model.baseline(),
                    model.forecasts());
        }
        out.printf(Locale.ROOT, "  bare model             %10.0f windows/s%n", modelRate);
        out.printf(
                Locale.ROOT,
                "  ratio BiLSTM job / bare model       %6.3f (target >= 0.8)%n",
                model.steady() / modelRate);
        out.printf(
                Locale.ROOT,
                "  ratio BiLSTM job / persistence job  %6.3f%n",
                model.steady() / baseline.steady());
    }

    /** Waits until {@code subtasks} forecasting subtasks are open (have their metrics). */
    private static void awaitOpen(int subtasks, long limitNanos) throws InterruptedException {
        long deadline = System.nanoTime() + limitNanos;
        while (JobMetricsReporter.forecastingSubtasks() < subtasks) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the job's "
                                + subtasks
                                + " forecasting subtasks did not all open within "
                                + TimeUnit.NANOSECONDS.toSeconds(limitNanos)
                                + " s");
            }
            Thread.sleep(50);
        }
    }

    private static void awaitForecasts(int expected, long limitNanos) throws InterruptedException {
        long deadline = System.nanoTime() + limitNanos;
        while (JobMetricsReporter.forecasts() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /**
     * Now, {@code forecasts}, the process's CPU time and its JIT compiler threads' CPU time so far,
     * ns.
     */
    private static long[] sample(long forecasts) {
        return new long[] {System.nanoTime(), forecasts, CPU.getProcessCpuTime(), compilerCpu()};
    }

    /**
     * The CPU time of this JVM's JIT compiler threads (HotSpot's {@code C1/C2 CompilerThread}s,
     * from Linux's {@code /proc/self/task}; the MXBean's compilation time is elapsed time, which on
     * busy cores includes waiting for one), ns; 0 where {@code /proc} is not there.
     */
    static long compilerCpu() {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String[] f = stat.substring(close + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    }
                } catch (IOException | RuntimeException gone) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return ticks * 10_000_000L; // clock ticks of 10 ms (USER_HZ 100)
    }

    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static BenchRun of(
            long checkpointMillis, List<long[]> progress, long n, long baseline, double seconds) {
        // steady rate: from the sample where 10% were done to the one where 90% were
        long[] lo = progress.stream().filter(s -> s[1] >= n / 10).findFirst().orElseThrow();
        long[] hi = progress.stream().filter(s -> s[1] >= n * 9 / 10).findFirst().orElseThrow();
        // a run too short for two samples between 10% and 90%: its mean rate
        double steady = hi[0] > lo[0] ? (hi[1] - lo[1]) / ((hi[0] - lo[0]) / 1e9) : n / seconds;
        double cpuMicros = hi[1] > lo[1] ? (hi[2] - lo[2]) / 1e3 / (hi[1] - lo[1]) : Double.NaN;
        double jitShare = hi[2] > lo[2] ? (double) (hi[3] - lo[3]) / (hi[2] - lo[2]) : Double.NaN;
        long[] latencies =
                JobMetricsReporter.LATENCIES.stream()
                        .flatMapToLong(h -> Arrays.stream(h.getStatistics().getValues()))
                        .sorted()
                        .toArray();
        return new BenchRun(
                checkpointMillis,
                steady,
                cpuMicros,
                jitShare,
                seconds,
                n,
                baseline,
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                latencies.length);
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0
                ? 0
                : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
    }
}
