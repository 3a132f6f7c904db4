package io.sensorcast.pipeline.scoring;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The scorer's counters: {@code readingsScored}, {@code anomalies}, and {@code anomalies} per model
 * group (label {@code group}), under the group given (ForecastJob's scorer and the SQL function
 * register the same names).
 */
public final class ScoringMetrics implements SensorScorer.Counts {

    /**
     * Model groups given an anomalies counter of their own (label {@code group}); the rest share
     * {@code group="_other"}: a fleet with one group per sensor must not make one metric series per
     * sensor.
     */
    static final int MAX_GROUP_COUNTERS = 256;

    private static final String OTHER = "_other";

    private final MetricGroup metrics;
    private final Counter scored;
    private final Counter anomalies;
    private final Map<String, Counter> anomaliesByGroup = new HashMap<>();

    public ScoringMetrics(MetricGroup metrics) {
        this.metrics = metrics;
        this.scored = metrics.counter("readingsScored");
        this.anomalies = metrics.counter("anomalies");
    }

    @Override
    public void scored() {
        scored.inc();
    }

    @Override
    public void anomaly(String group) {
        anomalies.inc();
        Counter c = anomaliesByGroup.get(group == null ? OTHER : group);
        if (c == null) {
            String label =
                    group != null && anomaliesByGroup.size() < MAX_GROUP_COUNTERS ? group : OTHER;
            c =
                    anomaliesByGroup.computeIfAbsent(
                            label, g -> metrics.addGroup("group", g).counter("anomalies"));
        }
        c.inc();
    }
}
