package io.sensorcast.pipeline.testutils;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** Reads a running job's sensorcast metrics from the MiniCluster's in-memory reporter. */
public final class JobMetrics {

    private JobMetrics() {}

    /** The sum of the {@code sensorcast.<counter>} counters of every subtask of {@code job}. */
    public static long sum(InMemoryReporter metrics, JobID job, String counter) {
        return metrics.findMetrics(job, counter).entrySet().stream()
                .filter(e -> e.getKey().endsWith(".sensorcast." + counter))
                .mapToLong(e -> ((Counter) e.getValue()).getCount())
                .sum();
    }
}
