package io.sensorcast.evaluation.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Hands the forecast job's own metrics to the command that runs it in the same JVM: the {@code
 * forecasts} counters and {@code readingToForecastMillis} histograms of every subtask ({@code
 * sensorcast bench}), and the {@code model.<group>.version} gauges ({@code sensorcast nab}, which
 * waits for a published model to serve before it replays more), and the job's checkpoint gauges
 * ({@code sensorcast bench-state}). Reading the job's metrics costs the job nothing, where a
 * consumer of the forecasts topic would compete with it for the same cores.
 */
public final class JobMetricsReporter implements MetricReporter {

    static final String NAME = "sensorcast-local";

    static final List<Counter> FORECASTS = new CopyOnWriteArrayList<>();
    static final List<Histogram> LATENCIES = new CopyOnWriteArrayList<>();
    static final List<Counter> BASELINE = new CopyOnWriteArrayList<>();
    static final Map<String, List<Gauge<?>>> VERSIONS = new ConcurrentHashMap<>();

    /** The job's checkpoint gauges (the JobManager's), by name. */
    static final Map<String, Gauge<?>> CHECKPOINTS = new ConcurrentHashMap<>();

    private static final List<String> CHECKPOINT_GAUGES =
            List.of(
                    "numberOfCompletedCheckpoints",
                    "lastCheckpointDuration",
                    "lastCheckpointSize",
                    "lastCheckpointFullSize");

    /** Has the job run under this JVM's metric reporter (call before the job starts). */
    public static void register(Configuration flink) {
        flink.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
    }

    /** Found by Flink through {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new JobMetricsReporter();
        }
    }

    public static void reset() {
        FORECASTS.clear();
        LATENCIES.clear();
        BASELINE.clear();
        VERSIONS.clear();
        CHECKPOINTS.clear();
    }

    /**
     * The job's newest completed checkpoint: how many completed so far, and the newest one's
     * duration, the bytes it wrote (an incremental checkpoint's new files) and the whole state it
     * refers to; zeros before the first.
     */
    record Checkpoint(long completed, long durationMillis, long bytes, long fullBytes) {}

    static Checkpoint lastCheckpoint() {
        return new Checkpoint(
                gauge("numberOfCompletedCheckpoints"),
                gauge("lastCheckpointDuration"),
                gauge("lastCheckpointSize"),
                gauge("lastCheckpointFullSize"));
    }

    private static long gauge(String name) {
        Gauge<?> g = CHECKPOINTS.get(name);
        return g != null && g.getValue() instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }

    /**
     * Whether {@code group} is served at {@code version} or later wherever it is served: at least
     * one subtask serves it, and none an older version.
     */
    public static boolean serves(String group, long version) {
        List<Gauge<?>> gauges = VERSIONS.getOrDefault(group, List.of());
        return !gauges.isEmpty()
                && gauges.stream().allMatch(g -> g.getValue() instanceof Long v && v >= version);
    }

    /** The forecasting subtasks open so far. */
    static int forecastingSubtasks() {
        return FORECASTS.size();
    }

    static long forecasts() {
        return FORECASTS.stream().mapToLong(Counter::getCount).sum();
    }

    /** Of {@link #forecasts}, those made by persistence rather than by a model. */
    static long baselineForecasts() {
        return BASELINE.stream().mapToLong(Counter::getCount).sum();
    }

    private static final String MODEL = ".sensorcast.model.";

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String id = group.getMetricIdentifier(name);
        if (id.endsWith(".sensorcast.forecasts") && metric instanceof Counter c) {
            FORECASTS.add(c);
        } else if (id.endsWith(".sensorcast.baselineForecasts") && metric instanceof Counter c) {
            BASELINE.add(c);
        } else if (id.endsWith(".sensorcast.readingToForecastMillis")
                && metric instanceof Histogram h) {
            LATENCIES.add(h);
        } else if (CHECKPOINT_GAUGES.contains(name)
                && id.contains(".jobmanager.")
                && metric instanceof Gauge<?> g) {
            CHECKPOINTS.put(name, g);
        } else if (id.contains(MODEL) && id.endsWith(".version") && metric instanceof Gauge<?> g) {
            String model = id.substring(id.indexOf(MODEL) + MODEL.length(), id.length() - 8);
            VERSIONS.computeIfAbsent(model, k -> new CopyOnWriteArrayList<>()).add(g);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
}
