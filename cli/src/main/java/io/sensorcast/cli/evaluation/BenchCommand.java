package io.sensorcast.cli.evaluation;

import io.sensorcast.cli.options.ServingEngineOption;
import io.sensorcast.evaluation.bench.Figures;
import io.sensorcast.evaluation.bench.ForecastBench;
import io.sensorcast.model.block.NetworkConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast bench}: ForecastJob end to end (embedded broker, MiniCluster, exactly-once)
 * against the bare model at the same batch size and parallelism, measured in the same run.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark ForecastJob end to end: N sensors' readings (real NAB series) are put on an"
                    + " embedded Kafka broker, then the job (Flink MiniCluster, exactly-once sinks)"
                    + " forecasts all of them at maximum rate. Prints forecasts/s, the bare model's"
                    + " windows/s on the same windows at the same batch size and parallelism"
                    + " (measured just before, in this JVM), their ratio, and reading-to-forecast"
                    + " latency percentiles.",
            "Forecasts/s is the steady rate between 10%% and 90%% of the forecasts, from the job's"
                    + " own forecasts counter; latency (the job's readingToForecastMillis histogram)"
                    + " is from a reading's arrival in the job to its forecast."
        })
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--sensors", defaultValue = "1000")
    int sensors;

    @Option(names = "--forecasts-per-sensor", defaultValue = "200")
    int perSensor;

    @Option(names = "--window", defaultValue = "" + NetworkConfig.DEFAULT_WINDOW)
    int window;

    @Option(names = "--hidden", defaultValue = "32")
    int hidden;

    @Option(names = "--layers", defaultValue = "1")
    int layers;

    @Option(names = "--batch-size", defaultValue = "256", description = "Windows per forward pass.")
    int batchSize;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "NAB series to draw sensors from (default: the bundled realKnownCause).")
    Path data;

    @Option(
            names = "--model-seconds",
            defaultValue = "5",
            description = "How long the bare model is measured.")
    double modelSeconds;

    @CommandLine.Mixin ServingEngineOption serving = new ServingEngineOption();

    @Option(
            names = "--latency-load",
            defaultValue = "0.5",
            description =
                    "Then replay at this fraction of the BiLSTM job's measured maximum and report"
                            + " reading-to-forecast latency at that load; 0 skips it"
                            + ".")
    double latencyLoad;

    @Option(
            names = "--latency-warm-up-passes",
            defaultValue = "5",
            description =
                    "The latency is measured over a pass of the fleet's readings once the JIT"
                            + " compiler threads took under 5%% of the CPU over the pass before, or"
                            + " after this many passes.")
    int warmUpPasses;

    @CommandLine.Mixin BenchJobOptions job = new BenchJobOptions();

    @Override
    public Integer call() throws Exception {
        ForecastBench.Settings settings =
                new ForecastBench.Settings(
                        sensors,
                        perSensor,
                        window,
                        hidden,
                        layers,
                        batchSize,
                        job.parallelism(),
                        data,
                        modelSeconds,
                        serving.engine,
                        latencyLoad,
                        warmUpPasses,
                        job.conf);
        Figures.write(job.json, new ForecastBench(settings, spec.commandLine().getOut()).run());
        return 0;
    }
}
