package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.demo.Demo;
import io.sensorcast.pipeline.config.OptionChecks;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast demo}: the whole product on one machine. An embedded KRaft broker, ForecastJob
 * and the periodic RetrainJob on Flink MiniClusters in this JVM, real NAB series replayed at an
 * accelerated event-time speed, and a report at the end.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run everything on this machine: an embedded Kafka broker (KRaft), ForecastJob and the"
                    + " periodic RetrainJob (Flink MiniClusters in this JVM). Bundled NAB series are"
                    + " replayed as sensors at an accelerated event-time speed; the first models"
                    + " are trained online, forecasts and anomalies stream, and the run ends with a"
                    + " self-contained report (report/index.html). Ctrl-C stops early and still"
                    + " writes the report."
        })
public final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--csv",
            arity = "1..*",
            paramLabel = "FILE",
            description = "Series to replay, one sensor each (default: three NAB realKnownCause).")
    List<Path> files;

    @Option(
            names = "--duration",
            defaultValue = "4min",
            description =
                    "Wall time of the replay, not counting the wait for the first models" + ".")
    String duration;

    @Option(
            names = "--speed",
            paramLabel = "Nx",
            description =
                    "Event-time speed, e.g. 20000x (default: the longest series in --duration).")
    String speed;

    @Option(
            names = "--retrain-every",
            defaultValue = "20s",
            description = "Wall time between retraining rounds.")
    String retrainEvery;

    @Option(
            names = "--report",
            defaultValue = "report",
            paramLabel = "DIR",
            description = "Where index.html goes.")
    Path report;

    @Option(
            names = "--wait-limit",
            defaultValue = "5min",
            description =
                    "Longest wait for the first models, and after the replay for the last"
                            + " forecasts.")
    String waitLimitOption;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "ForecastJob subtasks (default: one per core).")
    Integer parallelism;

    @Option(
            names = "--metrics-port",
            defaultValue = "9249-9269",
            paramLabel = "PORT[-PORT]",
            description =
                    "Serve the jobs' metrics for Prometheus on the first free port of this range,"
                            + " 0 for none.")
    String metricsPort;

    @Override
    public Integer call() throws Exception {
        OptionChecks.portRange("--metrics-port", metricsPort);
        Demo.Settings settings =
                new Demo.Settings(
                        files,
                        OptionChecks.duration("--duration", duration),
                        speed,
                        OptionChecks.duration("--retrain-every", retrainEvery),
                        report,
                        OptionChecks.duration("--wait-limit", waitLimitOption),
                        parallelism,
                        metricsPort);
        new Demo(spec.commandLine().getOut(), spec.commandLine().getErr()).run(settings);
        return 0;
    }
}
