package io.sensorcast.cli.cluster;

import io.sensorcast.deploy.ClusterJars;
import io.sensorcast.deploy.StandaloneCluster;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast cluster}: a real Flink standalone session cluster on this machine (one
 * JobManager and N TaskManagers, each its own JVM, on the jars {@code deploy} builds), and the jobs
 * submitted to it.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = {
            "A Flink standalone session cluster on this machine: one JobManager and N TaskManagers,"
                    + " each its own JVM, started like Flink's bin/ scripts start them.",
            "Its state (conf/config.yaml, logs, pids, checkpoints) is in --dir; the web UI is at"
                    + " http://localhost:<rest-port>."
        },
        subcommands = {
            ClusterStart.class,
            ClusterAddTaskManager.class,
            ClusterSubmit.class,
            ClusterCancel.class,
            ClusterStatus.class,
            ClusterStop.class
        })
public final class ClusterCommand {

    static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    /** Where the cluster lives and what it runs on. */
    static final class Location {
        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "The cluster's home (default: <checkout>/target/cluster).")
        Path dir;

        @Option(
                names = "--jars",
                paramLabel = "DIR",
                description =
                        "Where flink-lib/, lib-djl/ and sensorcast-job.jar are (default:"
                                + " <checkout>/deploy/target, built by ./sensorcast).")
        Path jars;

        Path home() {
            return dir != null ? dir : checkout().resolve("target").resolve("cluster");
        }

        ClusterJars clusterJars() {
            return ClusterJars.inBuild(
                    jars != null ? jars : checkout().resolve("deploy").resolve("target"));
        }

        StandaloneCluster open() {
            return StandaloneCluster.open(home(), clusterJars());
        }

        private static Path checkout() {
            return Path.of(System.getProperty("sensorcast.home", ".")).toAbsolutePath();
        }
    }
}
