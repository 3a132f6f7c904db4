package io.sensorcast.cli;

import io.sensorcast.connectors.replay.Pacing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
final class DemoCommand implements Callable<Integer> {

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
                    "Wall time of the replay, not counting the wait for the first models"
                            + " (default: ${DEFAULT-VALUE}).")
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
            description = "Wall time between retraining rounds (default: ${DEFAULT-VALUE}).")
    String retrainEvery;

    @Option(
            names = "--report",
            defaultValue = "report",
            paramLabel = "DIR",
            description = "Where index.html goes (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(
            names = "--wait-limit",
            defaultValue = "5min",
            description =
                    "Longest wait for the first models, and after the replay for the last"
                            + " forecasts (default: ${DEFAULT-VALUE}).")
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
                            + " 0 for none (default: ${DEFAULT-VALUE}).")
    String metricsPort;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final DemoTally tally = new DemoTally();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JobOptions.checkPortRange("--metrics-port", metricsPort);
        Duration wall = JobOptions.parseDuration("--duration", duration);
        Duration every = JobOptions.parseDuration("--retrain-every", retrainEvery);
        Duration waitLimit = JobOptions.parseDuration("--wait-limit", waitLimitOption);
        List<Path> csvs = files != null ? files : DemoFleet.defaultFiles();
        DemoFleet fleet = DemoFleet.load(csvs);
        Pacing pace =
                speed != null
                        ? Pacing.parse(speed)
                        : new Pacing.Speed(Math.max(1, fleet.span() / (double) wall.toMillis()));
        CountDownLatch finished = new CountDownLatch(1);
        stopOnShutdown(finished);
        long began = System.nanoTime();
        try (LocalStack stack = LocalStack.start("demo")) {
            out.printf(
                    Locale.ROOT,
                    "sensorcast demo: %d sensors, %d readings, %s of event time at %s;"
                            + " Kafka (KRaft) at %s; Ctrl-C stops early%n",
                    csvs.size(),
                    fleet.readings().size(),
                    Duration.ofMillis(fleet.span()),
                    pace,
                    stack.bootstrapServers());
            out.flush();
            new DemoRun(stop, tally, out, spec.commandLine().getErr())
                    .run(stack, fleet, pace, every, waitLimit, parallelism, metricsPort, began);
            Path file =
                    DemoReport.write(
                            report,
                            tally.sortedScores(),
                            fleet.windows(),
                            tally.summary(began, fleet.readings().size()));
            out.printf(
                    Locale.ROOT,
                    "%d forecasts, %d anomalies, %d retraining decisions; report: %s%n",
                    tally.forecasts(),
                    tally.anomalies(),
                    tally.decisions(),
                    file.toAbsolutePath());
            out.flush();
        } finally {
            finished.countDown();
        }
        return 0;
    }

    /** Ctrl-C: stop the run and wait for the report. */
    private void stopOnShutdown(CountDownLatch finished) {
        Thread main = Thread.currentThread();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    stop.set(true);
                                    main.interrupt();
                                    try {
                                        finished.await(90, TimeUnit.SECONDS);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                },
                                "demo-stop"));
    }
}
