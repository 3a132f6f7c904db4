package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.bench.Figures;
import io.sensorcast.evaluation.bench.SqlBench;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensorcast bench-sql}: SENSORCAST_DETECT against ForecastJob on the same readings. */
@Command(
        name = "bench-sql",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark the SQL function SENSORCAST_DETECT against ForecastJob: a fleet's readings"
                    + " on an embedded broker, then per round ForecastJob and an INSERT of the"
                    + " function's rows into a Kafka table read them (bounded, persistence"
                    + " forecasts, exactly-once sinks, checkpoints every second, the same"
                    + " parallelism).",
            "Prints each round's forecasts/s and CPU per forecast of both and their ratio;"
                    + " --json writes sql_forecasts_per_s and datastream_forecasts_per_s."
        })
public final class BenchSqlCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--sensors", defaultValue = "1000", description = "Fleet size.")
    int sensors;

    @Option(
            names = "--forecasts-per-sensor",
            defaultValue = "200",
            description =
                    "Each sensor sends one reading more. Rounds of some seconds each: a shorter"
                            + " one measures the JIT more than the pipeline.")
    int perSensor;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "Rounds of both runs, alternating.")
    int rounds;

    @CommandLine.Mixin BenchJobOptions job = new BenchJobOptions();

    @Override
    public Integer call() throws Exception {
        if (sensors < 1 || perSensor < 1 || rounds < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--sensors, --forecasts-per-sensor and --rounds must be >= 1");
        }
        Map<String, Object> figures =
                new SqlBench(
                                new SqlBench.Settings(
                                        sensors, perSensor, job.parallelism(), rounds, job.conf),
                                spec.commandLine().getOut())
                        .run();
        if (job.json != null) {
            Figures.write(job.json, figures);
        }
        return 0;
    }
}
