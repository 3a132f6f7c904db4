package io.sensorcast.cli.cluster;

import io.sensorcast.deploy.FlinkRest;
import io.sensorcast.deploy.StandaloneCluster;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sensorcast cluster cancel}. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancel a job; with --savepoint, stop it with a savepoint first.")
final class ClusterCancel implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ClusterCommand.Location location;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job's id.")
    String jobId;

    @Option(
            names = "--savepoint",
            description = "Stop with a savepoint (in the cluster's savepoint directory).")
    boolean savepoint;

    @Override
    public Integer call() throws Exception {
        StandaloneCluster cluster = location.open();
        PrintWriter out = spec.commandLine().getOut();
        try (FlinkRest rest = cluster.rest()) {
            stop(cluster, rest, out);
        }
        return 0;
    }

    private void stop(StandaloneCluster cluster, FlinkRest rest, PrintWriter out) {
        if (savepoint) {
            String path =
                    rest.stopWithSavepoint(
                            jobId,
                            cluster.home().resolve("savepoints").toUri().toString(),
                            Duration.ofMinutes(5));
            out.println("Stopped " + jobId + " with savepoint " + path);
            out.println("Resume: ./sensorcast cluster submit <job> --savepoint " + path);
        } else {
            rest.cancel(jobId);
            out.println("Cancelled " + jobId);
        }
    }
}
