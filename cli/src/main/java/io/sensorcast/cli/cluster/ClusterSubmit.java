package io.sensorcast.cli.cluster;

import io.sensorcast.cli.options.JobOptions;
import io.sensorcast.deploy.FlinkRest;
import io.sensorcast.deploy.StandaloneCluster;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.JobConfiguration;
import io.sensorcast.pipeline.job.RetrainJob;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sensorcast cluster submit}. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Upload the job jar and run ForecastJob (forecast) or RetrainJob (retrain) on the"
                    + " cluster.",
            "Job options are the ones the forecast and retrain commands take as -D (see"
                    + " docs/configuration.md)."
        })
final class ClusterSubmit implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin ClusterCommand.Location location;

    @Parameters(index = "0", paramLabel = "JOB", description = "forecast or retrain.")
    String job;

    @CommandLine.Mixin JobOptions options = new JobOptions();

    @Option(
            names = "--savepoint",
            paramLabel = "PATH",
            description = "Start from this savepoint (e.g. after 'cancel --savepoint').")
    String savepoint;

    @Option(
            names = "--allow-non-restored-state",
            description =
                    "With --savepoint: drop the savepoint's state of operators this job no longer"
                            + " has, e.g. after an upgrade that changed an operator's state (see"
                            + " docs/cluster.md, \"Upgrading from a savepoint\").")
    boolean allowNonRestoredState;

    @Override
    public Integer call() {
        String entry =
                switch (job) {
                    case "forecast" -> ForecastJob.class.getName();
                    case "retrain" -> RetrainJob.class.getName();
                    default ->
                            throw new IllegalArgumentException(
                                    "JOB must be forecast or retrain, got '" + job + "'");
                };
        int parallelism = options.parallelism(2);
        Map<String, String> submitted = options.submitted();
        if (job.equals("retrain")
                && "periodic".equalsIgnoreCase(submitted.get(RetrainOptions.MODE.key()))) {
            throw new IllegalArgumentException(
                    RetrainOptions.MODE.key()
                            + "=periodic runs its rounds from one client process, which a"
                            + " cluster submission does not keep; submit once-mode rounds"
                            + " from a scheduler (cron, a Kubernetes CronJob) or run"
                            + " './sensorcast retrain' instead");
        }
        if (allowNonRestoredState && savepoint == null) {
            throw new IllegalArgumentException(
                    "--allow-non-restored-state applies to a start from --savepoint; none given");
        }
        List<String> args = JobConfiguration.render(submitted);
        StandaloneCluster cluster = location.open();
        try (FlinkRest rest = cluster.rest()) {
            String jar = rest.uploadJar(cluster.jars().jobJar());
            String id =
                    rest.runJar(jar, entry, args, parallelism, savepoint, allowNonRestoredState);
            spec.commandLine().getOut().println("Submitted " + job + " as job " + id);
        }
        return 0;
    }
}
