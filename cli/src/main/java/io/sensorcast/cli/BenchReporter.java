package io.sensorcast.cli;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Hands the forecast job's own metrics to {@code sensorcast bench} in the same JVM: the {@code
 * forecasts} counters and {@code readingToForecastMillis} histograms of every subtask. Reading the
 * job's counters costs the job nothing, where a consumer of the forecasts topic would compete with
 * it for the same cores.
 */
public final class BenchReporter implements MetricReporter {

    static final String NAME = "sensorcast-bench";

    static final List<Counter> FORECASTS = new CopyOnWriteArrayList<>();
    static final List<Histogram> LATENCIES = new CopyOnWriteArrayList<>();

    /** Found by Flink through {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchReporter();
        }
    }

    static void reset() {
        FORECASTS.clear();
        LATENCIES.clear();
    }

    static long forecasts() {
        return FORECASTS.stream().mapToLong(Counter::getCount).sum();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String id = group.getMetricIdentifier(name);
        if (id.endsWith(".sensorcast.forecasts") && metric instanceof Counter c) {
            FORECASTS.add(c);
        } else if (id.endsWith(".sensorcast.readingToForecastMillis")
                && metric instanceof Histogram h) {
            LATENCIES.add(h);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
}
