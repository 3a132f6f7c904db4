package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.bench.Figures;
import io.sensorcast.evaluation.bench.LiveBench;
import io.sensorcast.pipeline.config.OptionChecks;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast bench-live}: send-to-consumable latency of forecasts and anomalies at a fixed
 * real-time rate, measured by consumers outside the job.
 */
@Command(
        name = "bench-live",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark what a consumer waits for in a live deployment: a producer sends N"
                    + " sensors' readings at a fixed real-time rate, each stamped with the wall"
                    + " clock as it is sent, to an embedded broker; ForecastJob (MiniCluster, its"
                    + " defaults: persistence forecasts, no model in the store) forecasts and"
                    + " scores them; consumers outside the job, read_committed and"
                    + " read_uncommitted, take each forecast's and anomaly's latency as the time it"
                    + " was polled minus its reading's stamp.",
            "Each sensor first sends --history readings stamped in the past (its window and its"
                    + " detector's warm-up), then live ones; every sensor gets one spike in the"
                    + " measured span. Prints p50/p99/p99.9 per output and isolation level, the"
                    + " readings/s held and the process's CPU per forecast."
        })
public final class BenchLiveCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--sensors", defaultValue = "1000")
    int sensors;

    @Option(names = "--rate", defaultValue = "1", description = "Readings per sensor per second.")
    double rate;

    @Option(
            names = "--history",
            defaultValue = "200",
            description = "Readings per sensor sent first, stamped in the past.")
    int history;

    @Option(names = "--warm-up", defaultValue = "30s", description = "Live, not measured.")
    String warmUp;

    @Option(names = "--duration", defaultValue = "120s", description = "The measured span.")
    String duration;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "10s",
            description = "The job's, as ForecastJob.main sets it on a cluster.")
    String checkpointInterval;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "Of the readings and output topics.")
    int partitions;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @CommandLine.Mixin BenchJobOptions job = new BenchJobOptions();

    @Override
    public Integer call() throws Exception {
        if (sensors < 1 || rate <= 0 || history < 0 || partitions < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--sensors and --partitions must be >= 1, --rate > 0, --history >= 0");
        }
        Duration checkpoints = OptionChecks.duration("--checkpoint-interval", checkpointInterval);
        LiveBench.Settings settings =
                new LiveBench.Settings(
                        sensors,
                        rate,
                        history,
                        OptionChecks.duration("--warm-up", warmUp),
                        OptionChecks.duration("--duration", duration),
                        checkpoints.toMillis(),
                        job.parallelism(),
                        partitions,
                        seed,
                        job.conf);
        Figures.write(job.json, new LiveBench(settings, spec.commandLine().getOut()).run());
        return 0;
    }
}
