package io.sensorcast.deploy;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;

/**
 * A Flink standalone session cluster on this machine, each member its own JVM, started the way
 * Flink's {@code bin/} scripts start them: memory flags and dynamic properties from {@code
 * BashJavaUtils GET_JM_RESOURCE_PARAMS / GET_TM_RESOURCE_PARAMS}, the Java 17 {@code
 * --add-opens/--add-exports} of Flink's distribution, {@code conf/config.yaml}.
 *
 * <p>Everything lives in a home directory: {@code conf/} (config.yaml, log4j.properties), {@code
 * log/} (one {@code .log} and one {@code .out} per member), {@code pids/}, checkpoints and
 * savepoints. The state is on disk, so one process can start a cluster and another stop it.
 */
public final class StandaloneCluster {

    public static final String JOB_MANAGER = "jobmanager";
    public static final String SQL_GATEWAY = "sql-gateway";

    static final String JM_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TM_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String CLI_MAIN = "org.apache.flink.client.cli.CliFrontend";
    static final String SQL_GATEWAY_MAIN = "org.apache.flink.table.gateway.SqlGateway";
    private static final String BASH_JAVA_UTILS =
            "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final String MEMBER_PROPERTY = "sensorcast.cluster.member";

    /** What Flink's distribution sets in {@code env.java.opts.all} for Java 17. */
    static final String JAVA_17_OPTIONS =
            String.join(
                    " ",
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** A member process as its pid file records it. */
    public record Member(String name, long pid, boolean alive) {}

    private final Path home;
    private final ClusterJars jars;

    private StandaloneCluster(Path home, ClusterJars jars) {
        this.home = home.toAbsolutePath();
        this.jars = jars;
    }

    /**
     * The settings of a one-machine cluster: loopback addresses, REST on 8081, 2 slots per
     * TaskManager, hashmap state with checkpoints and savepoints under {@code home}, heartbeats
     * that notice a lost TaskManager within 20 s, the Prometheus reporter on ports 9249-9269. Any
     * of them can be overridden at {@link #create}.
     */
    public static Map<String, String> defaults(Path home) {
        Path abs = home.toAbsolutePath();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("env.java.opts.all", JAVA_17_OPTIONS);
        s.put("jobmanager.rpc.address", "localhost");
        s.put("jobmanager.rpc.port", "6123");
        s.put("jobmanager.bind-host", "localhost");
        s.put("jobmanager.memory.process.size", "1024m");
        s.put("jobmanager.execution.failover-strategy", "region");
        s.put("taskmanager.bind-host", "localhost");
        s.put("taskmanager.host", "localhost");
        s.put("taskmanager.numberOfTaskSlots", "2");
        s.put("taskmanager.memory.process.size", "1536m");
        // hashmap state keeps no managed memory busy; libtorch's native memory is the larger need
        s.put("taskmanager.memory.managed.fraction", "0.05");
        s.put("parallelism.default", "2");
        s.put("rest.address", "localhost");
        s.put("rest.bind-address", "localhost");
        s.put("rest.port", "8081");
        s.put("state.backend.type", "hashmap");
        s.put("execution.checkpointing.dir", abs.resolve("checkpoints").toUri().toString());
        s.put(
                "execution.checkpointing.savepoint-dir",
                abs.resolve("savepoints").toUri().toString());
        s.put(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        // Prometheus scrapes every member on the first free port of the range (9249, 9250, ...)
        s.put(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        s.put("metrics.reporter.prom.port", "9249-9269");
        s.put("heartbeat.interval", "5000");
        s.put("heartbeat.timeout", "20000");
        s.put("web.upload.dir", abs.resolve("uploads").toString());
        s.put("io.tmp.dirs", abs.resolve("tmp").toString());
        return s;
    }

    /**
     * Prepares {@code home} for a new cluster: {@link #defaults} with {@code overrides} written to
     * {@code conf/config.yaml}. Refuses while members of an earlier cluster there are alive.
     */
    public static StandaloneCluster create(
            Path home, ClusterJars jars, Map<String, String> overrides) throws IOException {
        StandaloneCluster cluster = new StandaloneCluster(home, jars.checked());
        List<Member> alive = cluster.members().stream().filter(Member::alive).toList();
        if (!alive.isEmpty()) {
            throw new IllegalArgumentException(
                    "a cluster is already running in " + home + ": " + alive + "; stop it first");
        }
        Map<String, String> settings = defaults(home);
        settings.putAll(overrides);
        Files.createDirectories(cluster.conf());
        Files.createDirectories(cluster.home.resolve("log"));
        Files.createDirectories(cluster.home.resolve("pids"));
        Files.createDirectories(cluster.home.resolve("tmp"));
        Files.writeString(cluster.conf().resolve("config.yaml"), yaml(settings));
        try (InputStream log4j =
                StandaloneCluster.class.getResourceAsStream("log4j-cluster.properties")) {
            Files.copy(
                    log4j,
                    cluster.conf().resolve("log4j.properties"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        return cluster;
    }

    /** The cluster prepared (and perhaps running) in {@code home}. */
    public static StandaloneCluster open(Path home, ClusterJars jars) {
        StandaloneCluster cluster = new StandaloneCluster(home, jars);
        if (!Files.exists(cluster.conf().resolve("config.yaml"))) {
            throw new IllegalArgumentException(
                    "no cluster in " + home + " (no conf/config.yaml): start one first");
        }
        return cluster;
    }

    public Path home() {
        return home;
    }

    public ClusterJars jars() {
        return jars;
    }

    /** {@code conf/config.yaml} as Flink reads it. */
    public Configuration configuration() {
        return GlobalConfiguration.loadConfiguration(conf().toString());
    }

    /** The JobManager's REST endpoint. */
    public FlinkRest rest() {
        Configuration c = configuration();
        return new FlinkRest(
                URI.create("http://" + c.get(RestOptions.ADDRESS) + ":" + c.get(RestOptions.PORT)));
    }

    /** Starts the JobManager; returns once its REST endpoint answers. */
    public void startJobManager(Duration timeout) throws IOException, InterruptedException {
        Process p =
                launch(
                        JOB_MANAGER,
                        JM_MAIN,
                        "GET_JM_RESOURCE_PARAMS",
                        CoreOptions.FLINK_JM_JVM_OPTIONS.key(),
                        List.of("--executionMode", "cluster"));
        FlinkRest rest = rest();
        await(JOB_MANAGER, p, timeout, rest::isUp);
    }

    /** Starts a TaskManager under the next free name; returns it once registered. */
    public String startTaskManager(Duration timeout) throws IOException, InterruptedException {
        int n = 1;
        while (Files.exists(pidFile("taskmanager-" + n))) {
            n++;
        }
        String name = "taskmanager-" + n;
        startTaskManager(name, timeout);
        return name;
    }

    /**
     * Starts a TaskManager whose resource ID is {@code name}; returns once it has registered with
     * the JobManager.
     */
    public void startTaskManager(String name, Duration timeout)
            throws IOException, InterruptedException {
        Process p =
                launch(
                        name,
                        TM_MAIN,
                        "GET_TM_RESOURCE_PARAMS",
                        CoreOptions.FLINK_TM_JVM_OPTIONS.key(),
                        List.of("-D", "taskmanager.resource-id=" + name));
        FlinkRest rest = rest();
        await(name, p, timeout, () -> rest.taskManagers().contains(name));
    }

    /**
     * Starts Flink's command-line client ({@code CliFrontend}, what {@code bin/flink} runs) against
     * this cluster with {@code args}, e.g. {@code run -p 2 -c Main job.jar ...}; its output goes to
     * {@code output}.
     */
    public Process flinkCli(List<String> args, Path output) throws IOException {
        List<String> cmd =
                jvm("client", List.of(), CoreOptions.FLINK_CLI_JVM_OPTIONS.key(), CLI_MAIN);
        cmd.addAll(args);
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
        pb.environment().put("FLINK_CONF_DIR", conf().toString());
        return pb.start();
    }

    /**
     * Starts Flink's SQL Gateway (what {@code bin/sql-gateway.sh start} runs) with its REST
     * endpoint on {@code localhost:port}, submitting to this cluster; returns the endpoint once it
     * answers. It runs on the cluster's classpath plus {@link ClusterJars#flinkOpt()}, so a
     * session's {@code ADD JAR} of sensorcast-sql.jar finds DJL parent-first, as the job jar does.
     * It is a member: {@link #stop} stops it with the others.
     */
    public URI startSqlGateway(int port, Duration timeout)
            throws IOException, InterruptedException {
        refuseRunning(SQL_GATEWAY);
        Path opt = jars.flinkOpt();
        if (!Files.isDirectory(opt)) {
            throw new IllegalStateException(
                    opt
                            + " is missing: build it with './mvnw -B -DskipTests -pl deploy -am package'");
        }
        List<String> cmd =
                jvm(
                        SQL_GATEWAY,
                        List.of("-D" + MEMBER_PROPERTY + "=" + SQL_GATEWAY),
                        CoreOptions.FLINK_SQL_GATEWAY_JVM_OPTIONS.key(),
                        SQL_GATEWAY_MAIN,
                        jars.classpath()
                                + File.pathSeparator
                                + opt.toAbsolutePath()
                                + File.separator
                                + "*");
        cmd.add("-Dsql-gateway.endpoint.rest.address=localhost");
        cmd.add("-Dsql-gateway.endpoint.rest.bind-address=localhost");
        cmd.add("-Dsql-gateway.endpoint.rest.port=" + port);
        cmd.add("-Dexecution.target=remote");
        Process p = start(SQL_GATEWAY, cmd);
        URI endpoint = URI.create("http://localhost:" + port);
        SqlGatewayRest gateway = new SqlGatewayRest(endpoint);
        await(SQL_GATEWAY, p, timeout, gateway::isUp);
        return endpoint;
    }

    /** The members started in this home, JobManager first, alive or not. */
    public List<Member> members() {
        Path pids = home.resolve("pids");
        if (!Files.isDirectory(pids)) {
            return List.of();
        }
        List<Member> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(pids)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.pid$", "");
                long pid = pid(f);
                out.add(new Member(name, pid, process(name, pid).isPresent()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the JobManager, then taskmanager-1, -2, ..., -10 in number order
        out.sort(
                Comparator.comparing((Member m) -> !m.name().equals(JOB_MANAGER))
                        .thenComparing(m -> m.name().length())
                        .thenComparing(Member::name));
        return out;
    }

    /** SIGKILLs a member: no shutdown hooks, no goodbye to the JobManager. */
    public void kill(String name) {
        ProcessHandle p = liveProcess(name);
        p.destroyForcibly();
        p.onExit().join();
    }

    /**
     * Stops every member: SIGTERM (Flink shuts down cleanly), SIGKILL after {@code grace};
     * TaskManagers before the JobManager. The pid files are removed.
     */
    public void stop(Duration grace) throws IOException {
        List<Member> members = new ArrayList<>(members());
        Collections.reverse(members); // JobManager last
        for (Member m : members) {
            Optional<ProcessHandle> p = process(m.name(), m.pid());
            if (p.isPresent()) {
                p.get().destroy();
                try {
                    p.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    p.get().destroyForcibly();
                    p.get().onExit().join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.get().destroyForcibly();
                }
            }
            Files.deleteIfExists(pidFile(m.name()));
        }
    }

    /** The member's log file (Flink's log4j output). */
    public Path log(String name) {
        return home.resolve("log").resolve(name + ".log");
    }

    /** The member's stdout and stderr (JVM and native messages land here). */
    public Path out(String name) {
        return home.resolve("log").resolve(name + ".out");
    }

    private Path conf() {
        return home.resolve("conf");
    }

    private Path pidFile(String name) {
        return home.resolve("pids").resolve(name + ".pid");
    }

    private Process launch(
            String name,
            String mainClass,
            String resourceCommand,
            String roleOptionsKey,
            List<String> args)
            throws IOException, InterruptedException {
        refuseRunning(name);
        List<String> resources = resourceParams(resourceCommand);
        List<String> memory = new ArrayList<>(words(resources.get(0)));
        memory.add("-D" + MEMBER_PROPERTY + "=" + name);
        List<String> cmd = jvm(name, memory, roleOptionsKey, mainClass);
        cmd.add("--configDir");
        cmd.add(conf().toString());
        cmd.addAll(args);
        if (resources.size() > 1) {
            cmd.addAll(words(resources.get(1)));
        }
        return start(name, cmd);
    }

    private void refuseRunning(String name) {
        if (running(name).isPresent()) {
            throw new IllegalStateException(name + " is already running in " + home);
        }
    }

    /**
     * Starts member {@code name} as {@code cmd} in the home directory, its output appended to
     * {@code log/<name>.out}, {@code FLINK_CONF_DIR} set (what the gateway reads its configuration
     * from), its pid in {@code pids/}.
     */
    private Process start(String name, List<String> cmd) throws IOException {
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(out(name).toFile()));
        pb.environment().put("FLINK_CONF_DIR", conf().toString());
        Process p = pb.start();
        Files.writeString(pidFile(name), Long.toString(p.pid()));
        return p;
    }

    /**
     * {@code java} with {@code flags}, {@code env.java.opts.all} and the role's options, logging to
     * {@code log/<name>.log}, on the cluster's classpath, running {@code mainClass}.
     */
    private List<String> jvm(
            String name, List<String> flags, String roleOptionsKey, String mainClass) {
        return jvm(name, flags, roleOptionsKey, mainClass, jars.classpath());
    }

    private List<String> jvm(
            String name,
            List<String> flags,
            String roleOptionsKey,
            String mainClass,
            String classpath) {
        Configuration config = configuration();
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(flags);
        cmd.addAll(words(config.get(CoreOptions.FLINK_JVM_OPTIONS)));
        cmd.addAll(words(config.getString(roleOptionsKey, "")));
        cmd.add("-Dlog.file=" + log(name));
        cmd.add("-Dlog4j.configurationFile=" + conf().resolve("log4j.properties").toUri());
        cmd.add("-classpath");
        cmd.add(classpath);
        cmd.add(mainClass);
        return cmd;
    }

    /** What Flink's scripts ask BashJavaUtils for: JVM memory flags, then dynamic properties. */
    private List<String> resourceParams(String command) throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(
                                java(),
                                "-classpath",
                                jars.classpath(),
                                BASH_JAVA_UTILS,
                                command,
                                "--configDir",
                                conf().toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        List<String> results =
                output.lines()
                        .filter(l -> l.startsWith(RESULT_PREFIX))
                        .map(l -> l.substring(RESULT_PREFIX.length()))
                        .toList();
        if (rc != 0 || results.isEmpty()) {
            throw new IllegalStateException(
                    "BashJavaUtils " + command + " failed (exit " + rc + "):\n" + output);
        }
        return results;
    }

    private void await(String name, Process p, Duration timeout, BooleanSupplier ready)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        name
                                + " exited with "
                                + p.exitValue()
                                + "; last lines of "
                                + out(name)
                                + ":\n"
                                + tail(out(name))
                                + "\n"
                                + tail(log(name)));
            }
            try {
                if (ready.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // the REST endpoint is still starting
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        name
                                + " not ready after "
                                + timeout
                                + "; see "
                                + log(name)
                                + ":\n"
                                + tail(log(name)));
            }
            Thread.sleep(250);
        }
    }

    private ProcessHandle liveProcess(String name) {
        return running(name)
                .orElseThrow(() -> new IllegalStateException(name + " is not running in " + home));
    }

    /** The member's live process, by its pid file. */
    private Optional<ProcessHandle> running(String name) {
        Path file = pidFile(name);
        return Files.exists(file) ? process(name, pid(file)) : Optional.empty();
    }

    private static long pid(Path pidFile) {
        try {
            return Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live process, unless the pid has died or been reused by another program. */
    private static Optional<ProcessHandle> process(String name, long pid) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(
                        h ->
                                h.info()
                                        .commandLine()
                                        .map(c -> c.contains(MEMBER_PROPERTY + "=" + name + " "))
                                        .orElse(true));
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(no " + file.getFileName() + ")";
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    /** Flat {@code key: 'value'} lines, a form Flink's config.yaml parser accepts. */
    static String yaml(Map<String, String> settings) {
        StringBuilder out =
                new StringBuilder(
                        "# Written by sensorcast cluster start; Flink reads it at each member's start.\n");
        settings.forEach(
                (k, v) -> out.append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
        return out.toString();
    }
}
