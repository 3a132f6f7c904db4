package io.sensorcast.cli.cluster;

import io.sensorcast.deploy.StandaloneCluster;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensorcast cluster start}. */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = "Start the JobManager and --taskmanagers TaskManagers.")
final class ClusterStart implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ClusterCommand.Location location;

    @Option(names = "--taskmanagers", defaultValue = "2", description = "TaskManager JVMs.")
    int taskManagers;

    @Option(names = "--slots", defaultValue = "2", description = "Task slots per TaskManager.")
    int slots;

    @Option(names = "--rest-port", defaultValue = "8081", description = "REST API and web UI port.")
    int restPort;

    @Option(
            names = {"-D", "--conf"},
            paramLabel = "KEY=VALUE",
            description =
                    "Any Flink option for conf/config.yaml, e.g. -D"
                            + " taskmanager.memory.process.size=4g.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Map<String, String> conf = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (taskManagers < 1 || taskManagers > 64) {
            throw new IllegalArgumentException(
                    "--taskmanagers must be in [1, 64], got " + taskManagers);
        }
        if (slots < 1 || slots > 256) {
            throw new IllegalArgumentException("--slots must be in [1, 256], got " + slots);
        }
        if (restPort < 1 || restPort > 65535) {
            throw new IllegalArgumentException(
                    "--rest-port must be in [1, 65535], got " + restPort);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        settings.put("rest.port", Integer.toString(restPort));
        settings.putAll(conf);
        PrintWriter out = spec.commandLine().getOut();
        StandaloneCluster cluster =
                StandaloneCluster.create(location.home(), location.clusterJars(), settings);
        out.println("Starting the JobManager (" + cluster.home() + ") ...");
        out.flush();
        cluster.startJobManager(ClusterCommand.START_TIMEOUT);
        for (int i = 0; i < taskManagers; i++) {
            out.println("Started " + cluster.startTaskManager(ClusterCommand.START_TIMEOUT));
            out.flush();
        }
        out.println("Cluster up: " + cluster.rest().base() + " (web UI and REST API)");
        return 0;
    }
}
