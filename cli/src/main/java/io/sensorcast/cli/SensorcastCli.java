package io.sensorcast.cli;

import io.sensorcast.cli.cluster.ClusterCommand;
import io.sensorcast.cli.evaluation.BenchCommand;
import io.sensorcast.cli.evaluation.BenchJsonCommand;
import io.sensorcast.cli.evaluation.BenchLiveCommand;
import io.sensorcast.cli.evaluation.BenchModelCommand;
import io.sensorcast.cli.evaluation.BenchSqlCommand;
import io.sensorcast.cli.evaluation.BenchStateCommand;
import io.sensorcast.cli.evaluation.DemoCommand;
import io.sensorcast.cli.evaluation.NabAblationCommand;
import io.sensorcast.cli.evaluation.NabCommand;
import io.sensorcast.cli.evaluation.NabScoreCommand;
import io.sensorcast.cli.job.ForecastCommand;
import io.sensorcast.cli.job.RetrainCommand;
import io.sensorcast.cli.kafka.KafkaCommand;
import io.sensorcast.cli.kafka.ReplayCommand;
import io.sensorcast.cli.kafka.TopicsCommand;
import io.sensorcast.cli.model.DoctorCommand;
import io.sensorcast.cli.model.EvaluateCommand;
import io.sensorcast.cli.model.PublishModelCommand;
import io.sensorcast.cli.model.TrainCommand;
import io.sensorcast.cli.sql.SqlCommand;
import io.sensorcast.model.engine.KernelCheckException;
import io.sensorcast.model.manifest.InvalidModelException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./sensorcast}: the one entry point. */
@Command(
        name = "sensorcast",
        mixinStandardHelpOptions = true,
        versionProvider = SensorcastCli.Version.class,
        description = "Forecast sensor time series with a bidirectional LSTM and flag anomalies.",
        subcommands = {
            TrainCommand.class,
            EvaluateCommand.class,
            BenchModelCommand.class,
            KafkaCommand.class,
            ReplayCommand.class,
            PublishModelCommand.class,
            ForecastCommand.class,
            RetrainCommand.class,
            BenchCommand.class,
            BenchJsonCommand.class,
            BenchLiveCommand.class,
            BenchStateCommand.class,
            BenchSqlCommand.class,
            NabScoreCommand.class,
            TopicsCommand.class,
            NabCommand.class,
            NabAblationCommand.class,
            DemoCommand.class,
            SqlCommand.class,
            ClusterCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SensorcastCli implements Runnable {

    /** The system property the CLI's log configuration reads for the console's level. */
    static final String CONSOLE_LEVEL = "sensorcast.console.level";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "Also show the log on the console (it always goes to logs/sensorcast.log).")
    boolean verbose;

    public static void main(String[] args) {
        // Before anything logs: the log configuration reads the console's level once, when the
        // first logger is made, which may be long before picocli hands over the option.
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            System.setProperty(CONSOLE_LEVEL, "INFO");
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code: 0 ok, 1 failure, 2 bad usage or input. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, writing to the given streams. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(SensorcastCli::handle);
        return cli.execute(args);
    }

    /** The command tree, each option's default shown in its help as "Default: ...". */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SensorcastCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        showDefaults(cli);
        return cli;
    }

    private static void showDefaults(CommandLine command) {
        command.getCommandSpec().usageMessage().showDefaultValues(true);
        command.getSubcommands().values().forEach(SensorcastCli::showDefaults);
    }

    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        PrintWriter err = cli.getErr();
        if (e instanceof IllegalArgumentException || e instanceof InvalidModelException) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (e instanceof KernelCheckException) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        if (e instanceof NoSuchFileException) {
            err.println("error: no such file: " + e.getMessage());
            return 2;
        }
        err.println("error: " + e);
        e.printStackTrace(err);
        err.println("the log: " + logFile());
        return 1;
    }

    /** Where the log goes (see log4j2.xml): the launcher sets the directory to the project's. */
    static String logFile() {
        return java.nio.file.Path.of(
                        System.getProperty("sensorcast.log.dir", "logs"), "sensorcast.log")
                .toAbsolutePath()
                .toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The jar's version (its manifest's Implementation-Version; "unpackaged" when run from class
     * directories), the git commit it was built from, and the versions of the parts it runs on.
     */
    static final class Version implements CommandLine.IVersionProvider {

        /** {@code " (commit abc1234)"}, "-dirty" for uncommitted changes; empty without git. */
        static String commit() {
            java.util.Properties git = new java.util.Properties();
            try (var in = SensorcastCli.class.getResourceAsStream("/sensorcast-git.properties")) {
                if (in != null) {
                    git.load(in);
                }
            } catch (java.io.IOException e) {
                return "";
            }
            String id = git.getProperty("git.commit.id.abbrev", "");
            if (id.isBlank()) {
                return "";
            }
            return " (commit "
                    + id
                    + ("true".equals(git.getProperty("git.dirty")) ? "-dirty" : "")
                    + ")";
        }

        @Override
        public String[] getVersion() {
            String v = SensorcastCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "sensorcast " + (v == null ? "(unpackaged classes)" : v) + commit(),
                "Flink "
                        + org.apache.flink.runtime.util.EnvironmentInformation.getVersion()
                        + ", Kafka "
                        + org.apache.kafka.common.utils.AppInfoParser.getVersion()
                        + ", DJL "
                        + ai.djl.engine.Engine.getDjlVersion()
                        + ", Java "
                        + Runtime.version()
            };
        }
    }
}
