package io.sensorcast.cli.sql;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Counts the rows the sinks of the jobs in this JVM wrote: the {@code numRecordsOut} counter of
 * every sink writer operator (a Sink V2 writer, named {@code ...: Writer}), as Flink's Kafka and
 * file sinks keep it. The SQL jobs run on a MiniCluster in this JVM, so a metric reporter sees
 * their counters directly.
 */
public final class RowsWritten implements MetricReporter {

    private static final String NAME = "sensorcast-sql-rows";

    private static final List<Counter> SENT = new CopyOnWriteArrayList<>();

    /** Has the jobs of {@code flink} report to this JVM's counter. */
    static void register(Configuration flink) {
        flink.setString("metrics.reporter." + NAME + ".factory.class", Factory.class.getName());
    }

    /** Rows written since the last {@link #reset}. */
    static long total() {
        return SENT.stream().mapToLong(Counter::getCount).sum();
    }

    static void reset() {
        SENT.clear();
    }

    /**
     * Found by Flink through {@code META-INF/services} and the reporter's {@code factory.class}.
     */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new RowsWritten();
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String operator = group.getAllVariables().get("<operator_name>");
        if ("numRecordsOut".equals(name)
                && metric instanceof Counter c
                && operator != null
                && operator.endsWith("Writer")) {
            SENT.add(c);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // a finished job's counters stay counted
    }
}
