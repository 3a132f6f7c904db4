package io.sensorcast.cli;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
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
            run(stack, fleet, pace, every, waitLimit, began);
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

    /**
     * Starts the forecast job, retraining and the replay on {@code stack}, shows progress until the
     * replay ends and every reading's outputs are read back (or Ctrl-C), then stops them.
     */
    private void run(
            LocalStack stack,
            DemoFleet fleet,
            Pacing pace,
            Duration every,
            Duration waitLimit,
            long began)
            throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Configuration config = configure(stack.job(), every);
        stack.ensureReadings(2);
        int p = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        Configuration flink = stack.flink(p, "checkpoints");
        if (JobOptions.prometheus(flink, metricsPort)) {
            out.printf(
                    "metrics for Prometheus on http://localhost:%s/ (the first free port)%n",
                    metricsPort);
        }
        JobClient forecastJob = stack.startForecast(flink, 2000);
        OutputReader reader =
                stack.read("sensorcast-demo", EnumSet.allOf(OutputReader.Output.class), tally);
        Thread retrain = daemon("demo-retrain", () -> retrain(stack, config, err));
        List<SensorReading> readings = fleet.readings();
        // Phase one: enough readings for the first models; the replay waits for them, so
        // the rest of the series is forecast however fast this machine trains.
        int warmup = DemoFleet.warmupEnd(readings, FIRST_MODEL_READINGS);
        Thread replay =
                daemon(
                        "demo-replay",
                        () -> {
                            try {
                                fleet.replay(
                                        stack.replayer(),
                                        stack.job().get(KafkaOptions.READINGS_TOPIC),
                                        warmup,
                                        pace,
                                        waitLimit,
                                        tally,
                                        stop::get);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                if (!stop.get()) {
                                    out.println("replay stopped: " + e);
                                }
                            }
                        });
        try {
            while (!stop.get() && replay.isAlive()) {
                tally.progress(err, readings.size(), began);
                Thread.sleep(1000);
            }
            // Drain: until the job has checkpointed every reading and its outputs are read.
            long drainUntil = System.nanoTime() + waitLimit.toNanos();
            while (!stop.get() && !stack.caughtUp(reader) && System.nanoTime() < drainUntil) {
                tally.progress(err, readings.size(), began);
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            // Ctrl-C
        }
        stop.set(true);
        err.println();
        out.println("stopping: replay, forecast job, retraining ...");
        out.flush();
        replay.interrupt();
        forecastJob.cancel().get(60, TimeUnit.SECONDS);
        retrain.join(120_000);
    }

    private void retrain(LocalStack stack, Configuration config, PrintWriter err) {
        try {
            stack.retrain(config, rounds -> stop.get());
        } catch (Exception e) {
            if (!stop.get()) {
                err.println("retraining stopped: " + e);
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
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

    /** Readings each sensor needs before the first models can be trained (min plus margin). */
    private static final int FIRST_MODEL_READINGS = 600;

    /** The demo's settings over the stack's: event-time tolerance and periodic retraining. */
    private static Configuration configure(Configuration c, Duration every) {
        c.set(ForecastOptions.WINDOW, 48);
        c.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ofMinutes(10));
        c.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(2));
        c.set(RetrainOptions.MODE, RetrainOptions.Mode.PERIODIC);
        c.set(RetrainOptions.INTERVAL, every);
        c.set(RetrainOptions.WINDOW, 48);
        c.set(RetrainOptions.EPOCHS, 3);
        c.set(RetrainOptions.MAX_READINGS, 3000);
        c.set(RetrainOptions.MIN_READINGS, 500);
        return c;
    }
}
