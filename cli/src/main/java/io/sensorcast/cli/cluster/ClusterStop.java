package io.sensorcast.cli.cluster;

import io.sensorcast.deploy.StandaloneCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensorcast cluster stop}. */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description =
                "Stop every process of the cluster by pid (SIGTERM, SIGKILL after the grace"
                        + " period); jobs end with them, checkpoints stay.")
final class ClusterStop implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ClusterCommand.Location location;

    @Option(
            names = "--grace",
            defaultValue = "30",
            description = "Seconds to wait for a clean exit.")
    int graceSeconds;

    @Override
    public Integer call() throws Exception {
        StandaloneCluster cluster = location.open();
        List<StandaloneCluster.Member> members = cluster.members();
        cluster.stop(Duration.ofSeconds(graceSeconds));
        spec.commandLine()
                .getOut()
                .println(
                        "Stopped "
                                + members.stream().filter(StandaloneCluster.Member::alive).count()
                                + " processes of the cluster in "
                                + cluster.home());
        return 0;
    }
}
