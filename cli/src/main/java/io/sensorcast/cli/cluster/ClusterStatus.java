package io.sensorcast.cli.cluster;

import io.sensorcast.deploy.FlinkRest;
import io.sensorcast.deploy.StandaloneCluster;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sensorcast cluster status}. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "The cluster's processes, TaskManagers, slots and jobs.")
final class ClusterStatus implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ClusterCommand.Location location;

    @Override
    public Integer call() {
        StandaloneCluster cluster = location.open();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Cluster in " + cluster.home());
        boolean anyAlive = false;
        for (StandaloneCluster.Member m : cluster.members()) {
            out.printf("  %-16s pid %-8d %s%n", m.name(), m.pid(), m.alive() ? "running" : "gone");
            anyAlive |= m.alive();
        }
        try (FlinkRest rest = cluster.rest()) {
            if (!rest.isUp()) {
                out.println("REST " + rest.base() + ": not reachable");
                return anyAlive ? 1 : 3;
            }
            printJobs(rest, out);
        }
        return 0;
    }

    private static void printJobs(FlinkRest rest, PrintWriter out) {
        var overview = rest.overview();
        out.printf(
                "REST %s: Flink %s, %d TaskManagers, %d of %d slots free%n",
                rest.base(),
                overview.path("flink-version").asText(),
                overview.path("taskmanagers").asInt(),
                overview.path("slots-available").asInt(),
                overview.path("slots-total").asInt());
        for (FlinkRest.Job j : rest.jobs()) {
            out.printf("  job %s  %-10s %s%n", j.id(), j.state(), j.name());
        }
    }
}
