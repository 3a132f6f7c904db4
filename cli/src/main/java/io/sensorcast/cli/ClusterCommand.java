package io.sensorcast.cli;

import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.deploy.ClusterJars;
import io.sensorcast.deploy.FlinkRest;
import io.sensorcast.deploy.StandaloneCluster;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.JobConfiguration;
import io.sensorcast.pipeline.job.RetrainJob;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
            ClusterCommand.Start.class,
            ClusterCommand.AddTaskManager.class,
            ClusterCommand.Submit.class,
            ClusterCommand.Cancel.class,
            ClusterCommand.Status.class,
            ClusterCommand.Stop.class
        })
final class ClusterCommand {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

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

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start the JobManager and --taskmanagers TaskManagers.")
    static final class Start implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Location location;

        @Option(
                names = "--taskmanagers",
                defaultValue = "2",
                description = "TaskManager JVMs (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(
                names = "--slots",
                defaultValue = "2",
                description = "Task slots per TaskManager (default: ${DEFAULT-VALUE}).")
        int slots;

        @Option(
                names = "--rest-port",
                defaultValue = "8081",
                description = "REST API and web UI port (default: ${DEFAULT-VALUE}).")
        int restPort;

        @Option(
                names = {"-D", "--conf"},
                paramLabel = "KEY=VALUE",
                description =
                        "Any Flink option for conf/config.yaml, e.g. -D"
                                + " taskmanager.memory.process.size=4g.")
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
            cluster.startJobManager(START_TIMEOUT);
            for (int i = 0; i < taskManagers; i++) {
                out.println("Started " + cluster.startTaskManager(START_TIMEOUT));
                out.flush();
            }
            out.println("Cluster up: " + cluster.rest().base() + " (web UI and REST API)");
            return 0;
        }
    }

    @Command(
            name = "add-taskmanager",
            mixinStandardHelpOptions = true,
            description = "Start one more TaskManager (e.g. to replace a lost one).")
    static final class AddTaskManager implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Location location;

        @Override
        public Integer call() throws Exception {
            String name = location.open().startTaskManager(START_TIMEOUT);
            spec.commandLine().getOut().println("Started " + name);
            return 0;
        }
    }

    @Command(
            name = "submit",
            mixinStandardHelpOptions = true,
            description = {
                "Upload the job jar and run ForecastJob (forecast) or RetrainJob (retrain) on the"
                        + " cluster.",
                "Job options are the ones the forecast and retrain commands take as -D (see"
                        + " README)."
            })
    static final class Submit implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Location location;

        @Parameters(index = "0", paramLabel = "JOB", description = "forecast or retrain.")
        String job;

        @Option(
                names = "--bootstrap",
                defaultValue = "localhost:9092",
                paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
        String bootstrap;

        @Option(
                names = "--models",
                defaultValue = "models",
                paramLabel = "ROOT",
                description =
                        "Model store root, path or URI, as the cluster's JVMs see it (default:"
                                + " ${DEFAULT-VALUE}, made absolute).")
        String models;

        @Option(
                names = {"-p", "--parallelism"},
                defaultValue = "2",
                description = "Parallel subtasks (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(
                names = "--savepoint",
                paramLabel = "PATH",
                description = "Start from this savepoint (e.g. after 'cancel --savepoint').")
        String savepoint;

        @Option(
                names = {"-D", "--conf"},
                paramLabel = "KEY=VALUE",
                description = "Any job option, e.g. -D sensorcast.forecast.window=48.")
        Map<String, String> conf = new LinkedHashMap<>();

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
            if (parallelism < 1 || parallelism > 1024) {
                throw new IllegalArgumentException(
                        "--parallelism must be in [1, 1024], got " + parallelism);
            }
            if (job.equals("retrain")
                    && "periodic".equalsIgnoreCase(conf.get(RetrainOptions.MODE.key()))) {
                throw new IllegalArgumentException(
                        RetrainOptions.MODE.key()
                                + "=periodic runs its rounds from one client process, which a"
                                + " cluster submission does not keep; submit once-mode rounds"
                                + " from a scheduler (cron, a Kubernetes CronJob) or run"
                                + " './sensorcast retrain' instead");
            }
            Map<String, String> options = new LinkedHashMap<>();
            options.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), bootstrap);
            // the store makes a path absolute: the cluster's JVMs run in another directory
            options.put(ModelStoreOptions.ROOT.key(), new ModelStore(models, 1).root());
            options.putAll(conf);
            List<String> args = JobConfiguration.render(options);
            StandaloneCluster cluster = location.open();
            FlinkRest rest = cluster.rest();
            String jar = rest.uploadJar(cluster.jars().jobJar());
            String id = rest.runJar(jar, entry, args, parallelism, savepoint);
            spec.commandLine().getOut().println("Submitted " + job + " as job " + id);
            return 0;
        }
    }

    @Command(
            name = "cancel",
            mixinStandardHelpOptions = true,
            description = "Cancel a job; with --savepoint, stop it with a savepoint first.")
    static final class Cancel implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Location location;

        @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job's id.")
        String jobId;

        @Option(
                names = "--savepoint",
                description = "Stop with a savepoint (in the cluster's savepoint directory).")
        boolean savepoint;

        @Override
        public Integer call() throws Exception {
            StandaloneCluster cluster = location.open();
            FlinkRest rest = cluster.rest();
            PrintWriter out = spec.commandLine().getOut();
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
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "The cluster's processes, TaskManagers, slots and jobs.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Location location;

        @Override
        public Integer call() {
            StandaloneCluster cluster = location.open();
            PrintWriter out = spec.commandLine().getOut();
            out.println("Cluster in " + cluster.home());
            boolean anyAlive = false;
            for (StandaloneCluster.Member m : cluster.members()) {
                out.printf(
                        "  %-16s pid %-8d %s%n", m.name(), m.pid(), m.alive() ? "running" : "gone");
                anyAlive |= m.alive();
            }
            FlinkRest rest = cluster.rest();
            if (!rest.isUp()) {
                out.println("REST " + rest.base() + ": not reachable");
                return anyAlive ? 1 : 3;
            }
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
            return 0;
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description =
                    "Stop every process of the cluster by pid (SIGTERM, SIGKILL after the grace"
                            + " period); jobs end with them, checkpoints stay.")
    static final class Stop implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin Location location;

        @Option(
                names = "--grace",
                defaultValue = "30",
                description = "Seconds to wait for a clean exit (default: ${DEFAULT-VALUE}).")
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
                                    + members.stream()
                                            .filter(StandaloneCluster.Member::alive)
                                            .count()
                                    + " processes of the cluster in "
                                    + cluster.home());
            return 0;
        }
    }
}
