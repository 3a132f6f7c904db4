package io.sensorcast.evaluation.demo;

import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.evaluation.stack.LocalStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code sensorcast demo}: a {@link DemoRun} of a fleet on a fresh {@link LocalStack}, then its
 * report. Ctrl-C stops the run early and still writes the report.
 */
public final class Demo {

    /**
     * What one demo runs.
     *
     * @param files the series to replay, one sensor each; null for the bundled ones
     * @param wall the replay's wall time, from which the event-time speed follows unless {@code
     *     speed} is given
     * @param speed an event-time speed such as {@code 20000x}; null to fit {@code wall}
     * @param parallelism forecast subtasks; null for one per core
     * @param metricsPort ports for Prometheus, {@code "0"} for none
     */
    public record Settings(
            List<Path> files,
            Duration wall,
            String speed,
            Duration retrainEvery,
            Path report,
            Duration waitLimit,
            Integer parallelism,
            String metricsPort) {}

    private final AtomicBoolean stop = new AtomicBoolean();
    private final DemoTally tally = new DemoTally();
    private final PrintWriter out;
    private final PrintWriter err;

    public Demo(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the demo and writes its report. */
    public void run(Settings s) throws Exception {
        List<Path> csvs = s.files() != null ? s.files() : DemoFleet.defaultFiles();
        DemoFleet fleet = DemoFleet.load(csvs);
        Pacing pace =
                s.speed() != null
                        ? Pacing.parse(s.speed())
                        : new Pacing.Speed(
                                Math.max(1, fleet.span() / (double) s.wall().toMillis()));
        CountDownLatch finished = new CountDownLatch(1);
        stopOnShutdown(finished);
        long began = System.nanoTime();
        try (LocalStack stack = LocalStack.start("demo")) {
            header(csvs.size(), fleet, pace, stack.bootstrapServers());
            new DemoRun(stop, tally, out, err)
                    .run(
                            stack,
                            fleet,
                            pace,
                            s.retrainEvery(),
                            s.waitLimit(),
                            s.parallelism(),
                            s.metricsPort(),
                            began);
            Path file =
                    DemoReport.write(
                            s.report(),
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
    }

    private void header(int sensors, DemoFleet fleet, Pacing pace, String bootstrap) {
        out.printf(
                Locale.ROOT,
                "sensorcast demo: %d sensors, %d readings, %s of event time at %s;"
                        + " Kafka (KRaft) at %s; Ctrl-C stops early%n",
                sensors,
                fleet.readings().size(),
                Duration.ofMillis(fleet.span()),
                pace,
                bootstrap);
        out.flush();
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
