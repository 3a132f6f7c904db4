package io.sensorcast.cli.cluster;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sensorcast cluster add-taskmanager}. */
@Command(
        name = "add-taskmanager",
        mixinStandardHelpOptions = true,
        description = "Start one more TaskManager (e.g. to replace a lost one).")
final class ClusterAddTaskManager implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ClusterCommand.Location location;

    @Override
    public Integer call() throws Exception {
        String name = location.open().startTaskManager(ClusterCommand.START_TIMEOUT);
        spec.commandLine().getOut().println("Started " + name);
        return 0;
    }
}
