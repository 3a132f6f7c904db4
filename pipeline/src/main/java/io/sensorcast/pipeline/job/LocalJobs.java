package io.sensorcast.pipeline.job;

import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

/** Settings of a job run in this JVM on a Flink MiniCluster (the CLI's commands, the harnesses). */
public final class LocalJobs {

    private LocalJobs() {}

    /**
     * Checkpoints of a local (MiniCluster) job go to files under {@code dir}, unless the
     * configuration names a checkpoint directory: Flink's default for a job without one keeps them
     * in the JobManager's memory, limited to 5 MiB per subtask state, which a few hundred sensors'
     * detector state exceeds (the job then fails its checkpoints).
     */
    public static void checkpointsToFiles(Configuration flink, Path dir) {
        if (!flink.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        }
    }

    /**
     * Has a local job serve its metrics for Prometheus on the first free port of {@code ports} (a
     * port or a range {@code from-to}); {@code "0"} for none. Returns whether it will.
     */
    public static boolean prometheus(Configuration flink, String ports) {
        if (ports.trim().equals("0")) {
            return false;
        }
        flink.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        flink.setString("metrics.reporter.prom.port", ports.trim());
        return true;
    }
}
