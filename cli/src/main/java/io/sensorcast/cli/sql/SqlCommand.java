package io.sensorcast.cli.sql;

import io.sensorcast.cli.options.JobOptions;
import io.sensorcast.deploy.SqlGatewayRest;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.sql.SensorcastDetect;
import io.sensorcast.sql.SqlScripts;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sensorcast sql}: a Flink SQL script, with {@code SENSORCAST_DETECT} registered. */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Run a Flink SQL script on a Flink MiniCluster in this JVM (or on a running cluster"
                    + " with --cluster, or through a SQL Gateway with --gateway), with"
                    + " SENSORCAST_DETECT registered as a function.",
            "Statements run in order; a job's statement (INSERT, SELECT) runs to its end before"
                    + " the next, so bound its sources (e.g. 'scan.bounded.mode' ="
                    + " 'latest-offset') or stop it with Ctrl-C. In the script, ${bootstrap} is"
                    + " --bootstrap and ${models} the --models root. Prints the rows each job"
                    + " wrote. See docs/sql.md and examples/sql/."
        })
public final class SqlCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin JobOptions job;

    @Option(
            names = "--file",
            required = true,
            paramLabel = "FILE",
            description = "The SQL script: statements separated by ';'.")
    Path file;

    @Option(
            names = "--cluster",
            paramLabel = "HOST:PORT",
            description =
                    "The REST address of a running Flink cluster to submit the script's jobs to,"
                            + " with --jar; the cluster's lib/ needs the table runtime and DJL (as"
                            + " `sensorcast cluster start` lays it out).")
    String cluster;

    @Option(
            names = "--gateway",
            paramLabel = "URL",
            description =
                    "The REST endpoint of a Flink SQL Gateway (e.g. http://localhost:8083) to run"
                            + " the script in one session of: ADD JAR of each --jar (paths as the"
                            + " gateway's machine sees them), the function, then the statements."
                            + " A job's statement is left running on the gateway's cluster; the"
                            + " command prints its job ID.")
    String gateway;

    @Option(
            names = "--jar",
            paramLabel = "JAR",
            description =
                    "The jars shipped with each job to --cluster or added to the --gateway"
                            + " session (default: the sql module's sensorcast-sql.jar, the Kafka"
                            + " connector and client beside it).")
    List<Path> jars;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--file: no such file " + file);
        }
        List<String> statements;
        try {
            statements =
                    SqlScripts.statements(
                            Files.readString(file),
                            Map.of(
                                    "bootstrap",
                                    job.kafka.bootstrap(),
                                    "models",
                                    new ModelStore(job.models, 1).root()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--file " + file + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (gateway != null) {
            if (cluster != null) {
                throw new IllegalArgumentException("--gateway and --cluster exclude each other");
            }
            return throughGateway(statements, out);
        }
        TableEnvironment sql = TableEnvironment.create(settings());
        sql.createTemporarySystemFunction(SensorcastDetect.NAME, SensorcastDetect.class);
        for (String statement : statements) {
            TableResult result = sql.executeSql(statement);
            Optional<JobClient> client = result.getJobClient();
            if (client.isEmpty()) {
                if (result.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT) {
                    result.print();
                }
                continue;
            }
            RowsWritten.reset();
            out.printf("job %s: %s%n", client.get().getJobID(), firstLine(statement));
            out.flush();
            Thread cancel = JobOptions.cancelOnShutdown(client.get());
            if (result.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT
                    && !statement.regionMatches(true, 0, "INSERT", 0, 6)) {
                result.print(); // a query: its rows to the console, until it ends
            } else {
                client.get().getJobExecutionResult().get();
            }
            Runtime.getRuntime().removeShutdownHook(cancel);
            if (cluster == null) {
                out.printf(
                        "job %s: %d rows written%n", client.get().getJobID(), RowsWritten.total());
            } else {
                out.printf(
                        "job %s finished; its rows written are on the cluster's web UI%n",
                        client.get().getJobID());
            }
            out.flush();
        }
        return 0;
    }

    /**
     * Runs the statements in one session of the SQL Gateway at {@code --gateway}: the jars, the
     * function, then the script. The session gets the job options of a cluster submission
     * (--checkpoint-interval, -D, --parallelism when given) and object reuse.
     */
    private int throughGateway(List<String> statements, PrintWriter out) {
        URI uri;
        try {
            uri = new URI(gateway);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "--gateway must be the gateway's REST URL, e.g. http://localhost:8083, got "
                            + gateway);
        }
        SqlGatewayRest rest = new SqlGatewayRest(uri);
        if (!rest.isUp()) {
            throw new IllegalArgumentException("--gateway: no SQL Gateway answers at " + gateway);
        }
        Map<String, String> properties = new LinkedHashMap<>(job.submitted());
        properties.putIfAbsent(PipelineOptions.OBJECT_REUSE.key(), "true");
        if (job.parallelism != null) {
            properties.put(
                    CoreOptions.DEFAULT_PARALLELISM.key(), Integer.toString(job.parallelism(1)));
        }
        List<String> all = new ArrayList<>(SqlScripts.gatewaySetUp(shipped()));
        all.addAll(statements);
        String session = rest.openSession(properties);
        try {
            for (String statement : all) {
                List<SqlGatewayRest.Row> rows =
                        rest.execute(session, statement, Duration.ofMinutes(5));
                if (statement.regionMatches(true, 0, "INSERT", 0, 6) && !rows.isEmpty()) {
                    out.printf(
                            "job %s: %s (running on the gateway's cluster)%n",
                            rows.get(0).fields().get(0).asText(), firstLine(statement));
                } else if (!(rows.size() == 1
                        && rows.get(0).fields().toString().equals("[\"OK\"]"))) {
                    rows.forEach(r -> out.println(r.fields()));
                }
                out.flush();
            }
        } finally {
            rest.closeSession(session);
        }
        return 0;
    }

    /** --jar, else the build's; each must exist. */
    private List<Path> shipped() {
        List<Path> shipped = jars != null ? jars : SqlJars.defaults();
        for (Path jar : shipped) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(
                        "--jar: no such file " + jar + " (build it with ./mvnw -pl sql package)");
            }
        }
        return shipped;
    }

    /** Streaming mode, on a MiniCluster here or on {@code --cluster}. */
    private EnvironmentSettings settings() throws Exception {
        Configuration flink = job.flink(job.configuration());
        if (!flink.containsKey(PipelineOptions.OBJECT_REUSE.key())) {
            // SQL's operators do not hold on to records they passed on (ForecastJob does the
            // same); without it every record is copied between chained operators
            flink.set(PipelineOptions.OBJECT_REUSE, true);
        }
        if (cluster == null) {
            RowsWritten.register(flink);
        } else {
            int colon = cluster.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        "--cluster must be HOST:PORT (the REST port, 8081 by default), got "
                                + cluster);
            }
            flink.set(DeploymentOptions.TARGET, "remote");
            flink.set(RestOptions.ADDRESS, cluster.substring(0, colon));
            flink.set(RestOptions.PORT, Integer.parseInt(cluster.substring(colon + 1)));
            flink.set(
                    PipelineOptions.JARS,
                    shipped().stream().map(p -> p.toAbsolutePath().toUri().toString()).toList());
        }
        return EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(flink).build();
    }

    private static String firstLine(String statement) {
        String line = statement.lines().findFirst().orElse("").strip();
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
