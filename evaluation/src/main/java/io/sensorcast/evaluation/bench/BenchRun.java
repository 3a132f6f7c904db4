package io.sensorcast.evaluation.bench;

import com.sun.management.OperatingSystemMXBean;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.evaluation.stack.LocalStack;
import io.sensorcast.pipeline.job.ForecastOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
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
public record BenchRun(
        long checkpointMillis,
        double steady,
        double cpuMicros,
        double jitShare,
        double seconds,
        long forecasts,
        long baseline,
        Latency latency,
        List<Pass> warmUp) {

    /**
     * Reading-to-forecast percentiles over the forecasts the job's histograms hold.
     *
     * @param samples how many forecasts they are over
     */
    record Latency(long p50, long p99, int samples) {

        /** Over what the job's {@code readingToForecastMillis} histograms hold now. */
        static Latency now() {
            long[] sorted =
                    JobMetricsReporter.LATENCIES.stream()
                            .flatMapToLong(h -> Arrays.stream(h.getStatistics().getValues()))
                            .sorted()
                            .toArray();
            return new Latency(percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length);
        }

        private static long percentile(long[] sorted, double q) {
            return sorted.length == 0
                    ? 0
                    : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
        }
    }

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
                latency.p50(),
                latency.p99());
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
    public static BenchRun measure(
            LocalStack stack,
            Configuration base,
            Map<String, String> flinkConf,
            String name,
            int parallelism,
            Feed feed,
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
        long start = System.nanoTime();
        Fed fed = execute(env, "sensorcast-bench-" + name, feed, progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        long n = JobMetricsReporter.forecasts();
        // the last sample: a run shorter than the sampling interval still has one with every count
        progress.add(sample(n));
        long due = fed == null ? expected : fed.expected();
        if (n < due) {
            out.printf(Locale.ROOT, "WARNING: %d of %d windows were forecast%n", n, due);
        }
        return of(
                checkpointMillis,
                progress,
                fed == null ? 0 : fed.before(),
                n,
                JobMetricsReporter.baselineForecasts(),
                seconds,
                fed == null ? List.of() : fed.warmUp());
    }

    /** A bounded job, run to its end on a MiniCluster in this JVM. */
    @FunctionalInterface
    public interface Job {
        void run() throws Exception;
    }

    /**
     * Measures {@code job} (bounded, on a MiniCluster of {@code flink} with {@link
     * JobMetricsReporter} registered) by the {@code forecasts} counters of this JVM's jobs, as
     * {@link #measure} measures ForecastJob: the SQL function registers the same counters.
     */
    public static BenchRun measure(Configuration flink, Job job, long expected, PrintWriter out)
            throws Exception {
        JobMetricsReporter.reset();
        List<long[]> progress = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> progress.add(sample(JobMetricsReporter.forecasts())),
                0,
                100,
                TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        try {
            job.run();
        } finally {
            sampler.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long n = JobMetricsReporter.forecasts();
        progress.add(sample(n));
        if (n < expected) {
            out.printf(Locale.ROOT, "WARNING: %d of %d windows were forecast%n", n, expected);
        }
        return of(
                checkpointMillis(flink),
                progress,
                0,
                n,
                JobMetricsReporter.baselineForecasts(),
                seconds,
                List.of());
    }

    /**
     * Runs the job, bounded when {@code feed} is null, else while {@code feed} publishes and until
     * the forecasts it is due are counted (or ten minutes), sampling the forecast counters into
     * {@code progress} every 100 ms; returns what the feed published, null without one.
     */
    private static Fed execute(
            StreamExecutionEnvironment env, String job, Feed feed, List<long[]> progress)
            throws Exception {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
                () -> progress.add(sample(JobMetricsReporter.forecasts())),
                0,
                100,
                TimeUnit.MILLISECONDS);
        try {
            if (feed == null) {
                env.execute(job);
                return null;
            }
            JobClient client = env.executeAsync(job);
            try {
                Fed fed = feed.call();
                awaitForecasts(fed.expected(), TimeUnit.MINUTES.toNanos(10));
                return fed;
            } finally {
                client.cancel().get();
            }
        } finally {
            sampler.shutdownNow();
        }
    }

    /** Publishes a run's readings while the job runs. */
    @FunctionalInterface
    interface Feed {
        Fed call() throws Exception;
    }

    /**
     * What a feed published: the forecasts its readings make, how many of them came before the
     * measured part, and its warm-up passes.
     */
    record Fed(long expected, long before, List<Pass> warmUp) {}

    /**
     * A warm-up pass of the paced run: the JIT compiler threads' share of the process's CPU while
     * it was fed, and the latency of (up to) its last forecasts.
     */
    record Pass(double jitShare, Latency latency) {}

    /** The JIT's share of the CPU under which a paced run's next pass is measured. */
    static final double SETTLED_JIT_SHARE = 0.05;

    /** Whether the JIT took under {@link #SETTLED_JIT_SHARE} of the CPU in the last pass. */
    private static boolean settled(List<Pass> warmUp) {
        return !warmUp.isEmpty() && warmUp.get(warmUp.size() - 1).jitShare() < SETTLED_JIT_SHARE;
    }

    /**
     * ForecastJob once more, on {@code stack}'s broker, while the fleet's readings are fed to a
     * topic of the run's own ({@code sensorcast.readings.<name>}) from when all its forecasting
     * subtasks are open, in passes ({@code pass.apply(k)}: what the sensors report in pass k, each
     * pass going on from the one before), at {@code rate} readings/s, or with {@code rate} 0 as
     * fast as the feeder can while the job keeps within {@link #LIVE_LAG} readings of it (so the
     * job's rate is its maximum with the readings' production and the broker's appends on the same
     * cores). The run's figures are over its last pass, the latency over that pass's last 90%. The
     * first time the broker, the Kafka clients and the job run live in this JVM, the JIT compiles
     * their per-request code (fetches, produce requests) for about a minute, at up to half a core;
     * the run measures a pass once the compiler threads took under {@link #SETTLED_JIT_SHARE} of
     * the CPU over the pass before, or after {@code maxWarmUp} passes.
     *
     * @param firstForecasts the forecasts pass 0 makes by itself (its sensors' newest readings wait
     *     for a watermark the next pass brings); each pass after it makes one per reading
     */
    public static BenchRun live(
            LocalStack stack,
            Configuration base,
            Map<String, String> flinkConf,
            String name,
            IntFunction<List<SensorReading>> pass,
            int parallelism,
            double rate,
            int firstForecasts,
            int maxWarmUp,
            PrintWriter out)
            throws Exception {
        List<SensorReading> first = pass.apply(0);
        int passForecasts = first.size();
        String topic = "sensorcast.readings." + name;
        Configuration config = new Configuration(base);
        config.set(KafkaOptions.READINGS_TOPIC, topic);
        if (!config.contains(ForecastOptions.LATENCY_SAMPLES)) {
            // the latencies of the last 90% of a pass; the histogram's default window would hold
            // its last second or two. Pass 0 makes fewer forecasts: its snapshot holds them all
            config.set(
                    ForecastOptions.LATENCY_SAMPLES,
                    Math.max(1, (int) (0.9 * passForecasts / parallelism)));
        }
        stack.replayer().ensureTopic(topic, 2 * parallelism);
        Pacing pacing = rate > 0 ? new Pacing.Rate(rate) : new Pacing.Max();
        return measure(
                stack,
                config,
                flinkConf,
                name,
                parallelism,
                new Passes(
                        stack,
                        topic,
                        pacing,
                        rate,
                        pass,
                        first,
                        firstForecasts,
                        parallelism,
                        maxWarmUp),
                0,
                out);
    }

    /**
     * The feed of a live run: the fleet's passes, each once the one before is forecast, until a
     * pass is measured (see {@link #live}).
     */
    private record Passes(
            LocalStack stack,
            String topic,
            Pacing pacing,
            double rate,
            IntFunction<List<SensorReading>> pass,
            List<SensorReading> first,
            int firstForecasts,
            int parallelism,
            int maxWarmUp)
            implements Feed {

        @Override
        public Fed call() throws Exception {
            // fed earlier, the readings would queue while the job starts and be forecast
            // at its maximum rate, with its latency, until it caught up
            awaitOpen(parallelism, TimeUnit.MINUTES.toNanos(5));
            List<Pass> warmUp = new ArrayList<>();
            int passForecasts = first.size();
            List<SensorReading> next = first;
            long due = 0;
            while (true) {
                long[] before = sample(0);
                // the forecasts the readings sent so far can have made: pass 0's first
                // windows and every pass's newest step make none yet
                long made = warmUp.isEmpty() ? firstForecasts - first.size() : due;
                stack.replayer()
                        .replay(
                                next,
                                topic,
                                pacing,
                                (sent, total, time) -> {
                                    if (rate <= 0) {
                                        awaitLag(made + sent - LIVE_LAG);
                                    }
                                });
                boolean measured =
                        settled(warmUp) || !warmUp.isEmpty() && warmUp.size() >= maxWarmUp;
                long start = due;
                due = warmUp.isEmpty() ? firstForecasts : due + passForecasts;
                if (measured) {
                    return new Fed(due, start, warmUp);
                }
                next = pass.apply(warmUp.size() + 1); // fed once this pass is forecast
                awaitForecasts(due, TimeUnit.MINUTES.toNanos(10));
                long[] after = sample(0);
                warmUp.add(new Pass(jitShare(before, after), Latency.now()));
            }
        }
    }

    /**
     * How far (readings) the job may fall behind a feeder publishing as fast as it can: about a
     * second of its work, so that it always has readings waiting and never a backlog of minutes.
     */
    static final long LIVE_LAG = 20_000;

    /** Harder on the job than a cluster's 10 s: a flush and a commit per output every second. */
    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    /** The figures of a run fed live (its rate 0: as fast as the job kept up). */
    public void printLive(PrintWriter out, double rate, double load) {
        if (rate > 0) {
            out.printf(
                    Locale.ROOT,
                    "  at %.0f readings/s (%.0f%% of that maximum), in passes of the fleet's"
                            + " readings:%n",
                    rate,
                    100 * load);
        } else {
            out.printf(
                    Locale.ROOT,
                    "  with readings fed live, as fast as the job keeps up, in passes of the"
                            + " fleet's readings:%n");
        }
        for (int k = 0; k < warmUp.size(); k++) {
            Pass p = warmUp.get(k);
            out.printf(
                    Locale.ROOT,
                    "    warm-up pass %d: JIT %.0f%% of the CPU; reading->forecast p50 %d ms, p99 %d"
                            + " ms%n",
                    k + 1,
                    100 * p.jitShare(),
                    p.latency().p50(),
                    p.latency().p99());
        }
        out.printf(
                Locale.ROOT,
                "    measured pass %d: %.0f forecasts/s, JIT %.0f%% of the CPU; reading->forecast p50"
                        + " %d ms, p99 %d ms (last %d forecasts); %.0f us CPU a forecast, %.1f of %d"
                        + " cores busy%n",
                warmUp.size() + 1,
                steady,
                100 * jitShare,
                latency.p50(),
                latency.p99(),
                latency.samples(),
                cpuMicros,
                cpuMicros * steady / 1e6,
                Runtime.getRuntime().availableProcessors());
        if (!settled(warmUp)) {
            out.printf(
                    Locale.ROOT,
                    "    (the JIT had not settled: it took %.0f%%+ of the CPU in the pass before;"
                            + " the latency includes it)%n",
                    100 * SETTLED_JIT_SHARE);
        }
    }

    /** The two job runs beside the bare model, and their ratios. */
    public static void print(
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

    /** Waits until the job made {@code forecasts}, called back from a feeder's progress. */
    private static void awaitLag(long forecasts) {
        try {
            awaitForecasts(forecasts, TimeUnit.MINUTES.toNanos(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the feeder's next wait ends the run
        }
    }

    private static void awaitForecasts(long expected, long limitNanos) throws InterruptedException {
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
     * busy cores includes waiting for one), ns; 0 where {@code /proc} is not there. Reads the stat
     * file of a thread it has not seen before and of each compiler thread, not of all of a broker's
     * and a job's hundreds of threads ten times a second.
     */
    static long compilerCpu() {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String tid = task.getFileName().toString();
                Boolean compiler = COMPILER_THREADS.get(tid);
                if (Boolean.FALSE.equals(compiler)) {
                    continue;
                }
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(stat.indexOf('(') + 1, close);
                    boolean is = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");
                    COMPILER_THREADS.put(tid, is);
                    if (is) {
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

    /**
     * Whether a thread id is a JIT compiler thread's. Linux reuses a thread id only after the ids
     * wrap around (2^22 by default), which no bench run comes near.
     */
    private static final Map<String, Boolean> COMPILER_THREADS = new ConcurrentHashMap<>();

    /** The JIT compiler threads' share of the process's CPU between two {@link #sample}s. */
    private static double jitShare(long[] from, long[] to) {
        return to[2] > from[2] ? (double) (to[3] - from[3]) / (to[2] - from[2]) : Double.NaN;
    }

    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * The run's figures from its progress samples: steady rate, CPU and the JIT's share between 10%
     * and 90% of the forecasts after the first {@code from} (a first pass's).
     */
    private static BenchRun of(
            long checkpointMillis,
            List<long[]> progress,
            long from,
            long n,
            long baseline,
            double seconds,
            List<Pass> warmUp) {
        long start = Math.min(from, n);
        long[] lo =
                progress.stream()
                        .filter(s -> s[1] >= start + (n - start) / 10)
                        .findFirst()
                        .orElseThrow();
        long[] hi =
                progress.stream()
                        .filter(s -> s[1] >= start + (n - start) * 9 / 10)
                        .findFirst()
                        .orElseThrow();
        // a run too short for two samples between 10% and 90%: its mean rate
        double steady = hi[0] > lo[0] ? (hi[1] - lo[1]) / ((hi[0] - lo[0]) / 1e9) : n / seconds;
        double cpuMicros = hi[1] > lo[1] ? (hi[2] - lo[2]) / 1e3 / (hi[1] - lo[1]) : Double.NaN;
        double jitShare = jitShare(lo, hi);
        return new BenchRun(
                checkpointMillis,
                steady,
                cpuMicros,
                jitShare,
                seconds,
                n,
                baseline,
                Latency.now(),
                warmUp);
    }
}
