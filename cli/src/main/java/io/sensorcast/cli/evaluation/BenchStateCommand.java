package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.bench.Figures;
import io.sensorcast.evaluation.bench.StateBench;
import io.sensorcast.pipeline.config.OptionChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensorcast bench-state}: the pipeline's cost against fleet size, per state backend. */
@Command(
        name = "bench-state",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark what the pipeline costs as the fleet grows, per state backend: for each"
                    + " fleet size the sensors' readings are put on an embedded broker, then"
                    + " ForecastJob (MiniCluster, exactly-once sinks, persistence forecasts: the"
                    + " pipeline's own cost with its default state per sensor) runs over them on"
                    + " each backend.",
            "Prints, per run, forecasts/s and the process's CPU per forecast (and its ratio to"
                    + " the smallest fleet on the same backend), the heap held after a full"
                    + " collection, the peak RSS, the job's state size and bytes per sensor, and"
                    + " its checkpoints' durations and sizes (an incremental checkpoint's size is"
                    + " what it uploaded)."
        })
public final class BenchStateCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--sensors",
            defaultValue = "1000,10000",
            split = ",",
            description = "Fleet sizes, comma-separated.")
    List<Integer> sensors;

    @Option(
            names = "--state-backend",
            defaultValue = "hashmap,rocksdb",
            split = ",",
            description =
                    "hashmap, rocksdb (incremental checkpoints) or rocksdb-full, comma-separated.")
    List<String> backends;

    @Option(
            names = "--forecasts-per-sensor",
            defaultValue = "50",
            description = "Each sensor sends one reading more.")
    int perSensor;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "5s",
            description =
                    "The job's (10 s on a cluster); the checkpoints completed before 95%% of the"
                            + " forecasts count, a run shorter than this has none.")
    String checkpointInterval;

    @Option(
            names = "--managed-memory",
            defaultValue = "1g",
            description =
                    "The TaskManager's managed memory: RocksDB's block cache and write buffers"
                            + " (taskmanager.memory.managed.size).")
    String managedMemory;

    @CommandLine.Mixin BenchJobOptions job = new BenchJobOptions();

    @Override
    public Integer call() throws Exception {
        if (sensors.stream().anyMatch(n -> n < 1) || perSensor < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--sensors and --forecasts-per-sensor must be >= 1");
        }
        try {
            MemorySize.parse(managedMemory);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--managed-memory must be a memory size such as 512m or 1g, got '"
                            + managedMemory
                            + "'");
        }
        List<StateBench.Backend> chosen = new ArrayList<>();
        for (String b : backends) {
            chosen.add(StateBench.Backend.of("--state-backend", b));
        }
        StateBench.Settings settings =
                new StateBench.Settings(
                        sensors.stream().sorted().toList(),
                        chosen,
                        perSensor,
                        job.parallelism(),
                        OptionChecks.duration("--checkpoint-interval", checkpointInterval),
                        managedMemory,
                        job.conf);
        Figures.write(job.json, new StateBench(settings, spec.commandLine().getOut()).run());
        return 0;
    }
}
