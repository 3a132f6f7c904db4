package io.sensorcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI, run as a shell runs it, with its own log configuration: the demo's console
 * holds its progress, its retraining decisions and its results, no log line; the log goes to the
 * log file, and {@code --verbose} shows it on the console too.
 */
class QuietConsoleITCase {

    /** The console pattern of log4j2.xml: {@code 12:30:29 WARN MetricGroup - ...}. */
    private static final Pattern LOG_LINE =
            Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) ");

    @TempDir Path dir;

    @Test
    void theDemoPrintsProgressAndResultsAndLogsToTheFile() throws Exception {
        Run run = demo();

        assertThat(run.code).as(run.console).isZero();
        assertThat(run.console)
                .doesNotContainPattern(LOG_LINE)
                .contains("retraining ec2_request_latency_system_failure: PROMOTED")
                .containsPattern("[1-9][0-9]* forecasts, [0-9]+ anomalies, [1-9][0-9]* retraining");
        assertThat(run.log).as("the log file").contains("INFO").contains("io.sensorcast");
    }

    @Test
    void verboseShowsTheLogOnTheConsole() throws Exception {
        Run run = runCli(List.of("--verbose", "doctor"));

        assertThat(run.code).as(run.console).isZero();
        assertThat(run.console).containsPattern(LOG_LINE).contains("DjlRuntime - Loaded");
    }

    private Run demo() throws Exception {
        Path ec2 =
                SensorcastCliTest.data(
                        "nab", "data", "realKnownCause", "ec2_request_latency_system_failure.csv");
        return runCli(
                List.of(
                        "demo",
                        "--csv",
                        ec2.toString(),
                        "--duration",
                        "10s",
                        "--retrain-every",
                        "4s",
                        "--wait-limit",
                        "10min",
                        "--report",
                        dir.resolve("report").toString(),
                        "--parallelism",
                        "1",
                        "--metrics-port",
                        "0"));
    }

    private Run runCli(List<String> args) throws Exception {
        Path logs = dir.resolve("logs");
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dsensorcast.log.dir=" + logs);
        String cache = System.getProperty("sensorcast.djl.cache-dir");
        if (cache != null) {
            command.add("-Dsensorcast.djl.cache-dir=" + cache);
        }
        command.add("-jar");
        command.add(System.getProperty("sensorcast.cli.jar", "target/sensorcast-cli.jar"));
        command.addAll(args);
        File console = dir.resolve("console.txt").toFile();
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(console)
                        .start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        Path logFile = logs.resolve("sensorcast.log");
        return new Run(
                p.exitValue(),
                Files.readString(console.toPath(), StandardCharsets.UTF_8),
                Files.exists(logFile) ? Files.readString(logFile) : "");
    }

    private record Run(int code, String console, String log) {}
}
