package io.sensorcast.evaluation.bench;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.evaluation.stack.LocalStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;

/**
 * {@code sensorcast bench-state}: what the pipeline costs as the fleet grows, per state backend.
 * For each fleet size, the sensors' readings are put on an embedded broker once; then ForecastJob
 * (persistence forecasts, no model: the pipeline's own cost, with the job's default sequence,
 * seasonal look-back and detector state) runs over them on each backend, bounded, with exactly-once
 * sinks and checkpoints at the given interval. Per run: the steady forecasts/s and the process's
 * CPU per forecast ({@link BenchRun}), the heap the run holds after a full collection at 95% of its
 * forecasts and its peak, the process's peak RSS and how much the run grew it (runs share the JVM:
 * a backend's own RSS shows when it runs alone), the job's state size and its checkpoints'
 * durations and sizes (the JobManager's gauges). Ratios are to the smallest fleet on the same
 * backend, measured in the same run.
 */
public final class StateBench {

    /** The backends a run can compare. */
    public enum Backend {
        /** Objects on the heap; every checkpoint copies all of them. */
        HASHMAP("hashmap", false),
        /** RocksDB with incremental checkpoints: each uploads only the files new since the last. */
        ROCKSDB("rocksdb", true),
        /** RocksDB with full checkpoints, for comparison. */
        ROCKSDB_FULL("rocksdb", false);

        final String type;
        final boolean incremental;

        Backend(String type, boolean incremental) {
            this.type = type;
            this.incremental = incremental;
        }

        /** The name on the command line: {@code hashmap}, {@code rocksdb}, {@code rocksdb-full}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The backend of {@code label}; fails naming {@code flag} and the allowed values. */
        public static Backend of(String flag, String label) {
            for (Backend b : values()) {
                if (b.label().equals(label.trim())) {
                    return b;
                }
            }
            throw new IllegalArgumentException(
                    flag + " must be hashmap, rocksdb or rocksdb-full, got '" + label + "'");
        }
    }

    /**
     * @param sensors the fleet sizes, smallest first
     * @param perSensor forecasts each sensor gets (it sends one reading more)
     * @param checkpointInterval the job's checkpoint interval
     * @param managedMemory the TaskManager's managed memory (RocksDB's block cache and write
     *     buffers), unless {@code conf} sets it
     */
    public record Settings(
            List<Integer> sensors,
            List<Backend> backends,
            int perSensor,
            int parallelism,
            Duration checkpointInterval,
            String managedMemory,
            Map<String, String> conf) {}

    /** Of the runs measured so far, one per fleet size and backend. */
    public record Run(
            int sensors,
            Backend backend,
            double forecastsPerSecond,
            double cpuMicros,
            long heapBytes,
            long peakHeapBytes,
            long peakRssBytes,
            long rssGrowthBytes,
            long stateBytes,
            List<JobMetricsReporter.Checkpoint> checkpoints) {

        long bytesPerSensor(long bytes) {
            return bytes / sensors;
        }

        /** The checkpoints' durations, ms, sorted. */
        long[] durations() {
            return checkpoints.stream()
                    .mapToLong(JobMetricsReporter.Checkpoint::durationMillis)
                    .sorted()
                    .toArray();
        }

        /** The checkpoints' own sizes (the new files of an incremental one), bytes, sorted. */
        long[] sizes() {
            return checkpoints.stream()
                    .mapToLong(JobMetricsReporter.Checkpoint::bytes)
                    .sorted()
                    .toArray();
        }

        Map<String, Object> figures() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("sensors", sensors);
            f.put("backend", backend.label());
            f.put("forecasts_per_s", forecastsPerSecond);
            f.put("cpu_us_per_forecast", cpuMicros);
            f.put("heap_bytes_after_gc", heapBytes);
            f.put("heap_bytes_peak", peakHeapBytes);
            f.put("rss_bytes_peak", peakRssBytes);
            f.put("rss_bytes_growth", rssGrowthBytes);
            f.put("state_bytes", stateBytes);
            f.put("state_bytes_per_sensor", bytesPerSensor(stateBytes));
            f.put("checkpoints", checkpoints.size());
            f.put("checkpoint_ms_p50", median(durations()));
            f.put("checkpoint_ms_max", max(durations()));
            f.put("checkpoint_bytes_p50", median(sizes()));
            f.put("checkpoint_bytes_max", max(sizes()));
            return f;
        }
    }

    private final Settings s;
    private final PrintWriter out;

    public StateBench(Settings settings, PrintWriter out) {
        this.s = settings;
        this.out = out;
    }

    /** Runs every fleet size on every backend; prints the table and returns its figures. */
    public Map<String, Object> run() throws Exception {
        List<List<SensorReading>> series = BenchFleet.realKnownCause();
        List<Run> runs = new ArrayList<>();
        try (LocalStack stack = LocalStack.start("bench-state")) {
            // the JIT compiles the broker's, Flink's and the job's code in a first run; a small
            // one per backend, not counted, so that it does not fall on the first measured run
            for (Backend b : s.backends()) {
                measure(stack, series, Math.min(1000, s.sensors().get(0)), b, "warm-up");
            }
            for (int n : s.sensors()) {
                for (Backend b : s.backends()) {
                    Run r = measure(stack, series, n, b, null);
                    runs.add(r);
                    print(r, runs);
                }
            }
        }
        printTable(runs);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("parallelism", s.parallelism());
        figures.put("forecasts_per_sensor", s.perSensor());
        figures.put("checkpoint_interval_ms", s.checkpointInterval().toMillis());
        figures.put("runs", runs.stream().map(Run::figures).toList());
        return figures;
    }

    private Run measure(
            LocalStack stack,
            List<List<SensorReading>> series,
            int sensors,
            Backend backend,
            String warmUp)
            throws Exception {
        String name = (warmUp != null ? warmUp + "-" : "") + backend.label() + "-" + sensors;
        String topic = "sensorcast.readings." + (warmUp != null ? warmUp : sensors);
        BenchFleet fleet = new BenchFleet(sensors, 2, s.perSensor());
        Configuration config = new Configuration(stack.job());
        config.set(KafkaOptions.READINGS_TOPIC, topic);
        config.set(KafkaOptions.GROUP_ID, "bench-state-" + name);
        s.conf().forEach(config::setString);
        if (backend == s.backends().get(0)) {
            stack.replayer().ensureTopic(topic, 2 * s.parallelism());
            Replayer.Result sent =
                    stack.replayer()
                            .replay(
                                    fleet.readings(series, 0),
                                    topic,
                                    new Pacing.Max(),
                                    (a, b, c) -> {});
            out.printf(
                    Locale.ROOT,
                    "%s%d sensors, %d readings on Kafka (%.0f records/s)%n",
                    warmUp != null ? "warm-up run, not counted: " : "",
                    sensors,
                    sent.records(),
                    sent.recordsPerSecond());
            out.flush();
        }
        Map<String, String> flink = new LinkedHashMap<>();
        flink.put("state.backend.type", backend.type);
        flink.put("execution.checkpointing.incremental", Boolean.toString(backend.incremental));
        flink.put("execution.checkpointing.interval", s.checkpointInterval().toMillis() + " ms");
        flink.put("taskmanager.memory.managed.size", s.managedMemory());
        flink.putAll(s.conf());
        long expected = (long) sensors * s.perSensor();
        Memory memory = new Memory(expected);
        memory.start();
        BenchRun run;
        try {
            run =
                    BenchRun.measure(
                            stack, config, flink, name, s.parallelism(), null, (int) expected, out);
        } finally {
            memory.stop();
        }
        return new Run(
                sensors,
                backend,
                run.steady(),
                run.cpuMicros(),
                Math.max(0, memory.heapAfterGc - memory.heapBefore),
                memory.peakHeap,
                memory.peakRss,
                Math.max(0, memory.peakRss - memory.rssBefore),
                memory.checkpoints.isEmpty()
                        ? 0
                        : memory.checkpoints.get(memory.checkpoints.size() - 1).fullBytes(),
                memory.checkpoints);
    }

    /**
     * Samples the heap, the RSS and the job's checkpoints every 100 ms while a run goes on; at 95%
     * of its forecasts (after the measured span) collects the heap in full once and takes what is
     * left: the state, the job's buffers and the broker's, against {@link #heapBefore}. Checkpoints
     * count until then: those of the job as its input ends hold less and less state.
     */
    private static final class Memory {
        private final long expected;
        private final ScheduledExecutorService sampler =
                Executors.newSingleThreadScheduledExecutor();
        private final List<JobMetricsReporter.Checkpoint> checkpoints = new ArrayList<>();
        private long heapBefore;
        private long rssBefore;
        private long heapAfterGc;
        private long peakHeap;
        private long peakRss;
        private long completed;

        Memory(long expected) {
            this.expected = expected;
        }

        void start() {
            System.gc();
            heapBefore = HEAP.getHeapMemoryUsage().getUsed();
            rssBefore = rss();
            sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            sampler.shutdown();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        }

        private synchronized void sample() {
            peakHeap = Math.max(peakHeap, HEAP.getHeapMemoryUsage().getUsed());
            peakRss = Math.max(peakRss, rss());
            long forecasts = JobMetricsReporter.forecasts();
            JobMetricsReporter.Checkpoint c = JobMetricsReporter.lastCheckpoint();
            if (c.completed() > completed) {
                completed = c.completed();
                if (heapAfterGc == 0) { // not the ones of a finishing job: its state is gone
                    checkpoints.add(c);
                }
            }
            if (heapAfterGc == 0 && forecasts >= expected * 95 / 100) {
                System.gc();
                heapAfterGc = HEAP.getHeapMemoryUsage().getUsed();
            }
        }
    }

    private static final MemoryMXBean HEAP = ManagementFactory.getMemoryMXBean();

    /** This process's resident set, bytes, from {@code /proc/self/status}; 0 without it. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private void print(Run r, List<Run> runs) {
        Run first = firstOf(r.backend(), runs);
        out.printf(
                Locale.ROOT,
                "  %s, %d sensors: %.0f forecasts/s, %.1f us CPU a forecast (%.2fx %d sensors);"
                        + " state %s (%d B a sensor); %d checkpoints, p50 %d ms, max %d ms%n",
                r.backend().label(),
                r.sensors(),
                r.forecastsPerSecond(),
                r.cpuMicros(),
                r.cpuMicros() / first.cpuMicros(),
                first.sensors(),
                mib(r.stateBytes()),
                r.bytesPerSensor(r.stateBytes()),
                r.checkpoints().size(),
                median(r.durations()),
                max(r.durations()));
        out.flush();
    }

    private static Run firstOf(Backend b, List<Run> runs) {
        return runs.stream().filter(x -> x.backend() == b).findFirst().orElseThrow();
    }

    private void printTable(List<Run> runs) {
        out.printf(
                Locale.ROOT,
                "%nForecastJob (persistence forecasts), parallelism %d, %d forecasts a sensor,"
                        + " checkpoints every %d ms:%n",
                s.parallelism(),
                s.perSensor(),
                s.checkpointInterval().toMillis());
        out.printf(
                Locale.ROOT,
                "| sensors | backend | forecasts/s | CPU µs/forecast | × smallest | heap after GC |"
                        + " peak RSS (run's growth) | state | B/sensor | checkpoint p50 / max | checkpoint size"
                        + " p50 / max |%n");
        out.printf(Locale.ROOT, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
        for (Run r : runs) {
            out.printf(
                    Locale.ROOT,
                    "| %d | %s | %.0f | %.1f | %.2f | %s | %s (+%s) | %s | %d | %d / %d ms | %s / %s |%n",
                    r.sensors(),
                    r.backend().label(),
                    r.forecastsPerSecond(),
                    r.cpuMicros(),
                    r.cpuMicros() / firstOf(r.backend(), runs).cpuMicros(),
                    mib(r.heapBytes()),
                    mib(r.peakRssBytes()),
                    mib(r.rssGrowthBytes()),
                    mib(r.stateBytes()),
                    r.bytesPerSensor(r.stateBytes()),
                    median(r.durations()),
                    max(r.durations()),
                    mib(median(r.sizes())),
                    mib(max(r.sizes())));
        }
        out.flush();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    private static long median(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static long max(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }
}
