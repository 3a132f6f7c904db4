package io.sensorcast.evaluation.demo;

import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.evaluation.stack.LocalStack;
import io.sensorcast.evaluation.stack.OutputReader;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.job.LocalJobs;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * The demo's run on a {@link LocalStack}: ForecastJob, periodic retraining and the fleet's replay,
 * progress until the replay ends and every reading's outputs are read back (or {@code stop} is set:
 * Ctrl-C), then everything stopped; what came out is in the {@link DemoTally}.
 */
public final class DemoRun {

    private final AtomicBoolean stop;
    private final DemoTally tally;
    private final PrintWriter out;
    private final PrintWriter err;

    public DemoRun(AtomicBoolean stop, DemoTally tally, PrintWriter out, PrintWriter err) {
        this.stop = stop;
        this.tally = tally;
        this.out = out;
        this.err = err;
    }

    /**
     * @param parallelism forecast subtasks; null for one per core
     * @param metricsPort ports for Prometheus, {@code "0"} for none
     */
    public void run(
            LocalStack stack,
            DemoFleet fleet,
            Pacing pace,
            Duration every,
            Duration waitLimit,
            Integer parallelism,
            String metricsPort,
            long began)
            throws Exception {
        Configuration config = configure(stack.job(), every);
        stack.ensureReadings(2);
        int p = parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
        Configuration flink = stack.flink(p, "checkpoints");
        if (LocalJobs.prometheus(flink, metricsPort)) {
            out.printf(
                    "metrics for Prometheus on http://localhost:%s/ (the first free port)%n",
                    metricsPort);
        }
        JobClient forecastJob = stack.startForecast(flink, 2000);
        OutputReader reader =
                stack.read("sensorcast-demo", EnumSet.allOf(OutputReader.Output.class), tally);
        Thread retrain = daemon("demo-retrain", () -> retrain(stack, config));
        Thread replay = daemon("demo-replay", () -> replay(stack, fleet, pace, waitLimit));
        try {
            watch(stack, reader, replay, fleet.readings().size(), waitLimit, began);
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

    /** Progress while the replay runs, then until the outputs of every reading are read back. */
    private void watch(
            LocalStack stack,
            OutputReader reader,
            Thread replay,
            int readings,
            Duration waitLimit,
            long began)
            throws InterruptedException {
        while (!stop.get() && replay.isAlive()) {
            tally.progress(err, readings, began);
            Thread.sleep(1000);
        }
        // Drain: until the job has checkpointed every reading and its outputs are read.
        long drainUntil = System.nanoTime() + waitLimit.toNanos();
        while (!stop.get() && !stack.caughtUp(reader) && System.nanoTime() < drainUntil) {
            tally.progress(err, readings, began);
            Thread.sleep(500);
        }
    }

    /**
     * Phase one: enough readings for the first models; the replay waits for them, so the rest of
     * the series is forecast however fast this machine trains.
     */
    private void replay(LocalStack stack, DemoFleet fleet, Pacing pace, Duration waitLimit) {
        try {
            fleet.replay(
                    stack.replayer(),
                    stack.job().get(KafkaOptions.READINGS_TOPIC),
                    DemoFleet.warmupEnd(fleet.readings(), FIRST_MODEL_READINGS),
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
    }

    private void retrain(LocalStack stack, Configuration config) {
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

    /** Readings each sensor needs before the first models can be trained (min plus margin). */
    private static final int FIRST_MODEL_READINGS = 600;

    /** The demo's settings over the stack's: event-time tolerance and periodic retraining. */
    private static Configuration configure(Configuration c, Duration every) {
        c.set(ForecastOptions.HISTORY, 48);
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
