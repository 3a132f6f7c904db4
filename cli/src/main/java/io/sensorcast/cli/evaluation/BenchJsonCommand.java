package io.sensorcast.cli.evaluation;

import io.sensorcast.evaluation.bench.JsonBench;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensorcast bench-json}: the job's JSON writer against Jackson's on the same records. */
@Command(
        name = "bench-json",
        mixinStandardHelpOptions = true,
        description =
                "Write forecasts and scores as JSON with the job's writer, Jackson's JsonGenerator"
                        + " and Jackson's ObjectMapper, after checking that all three write the"
                        + " same bytes; prints records/s of each and writer/generator.")
public final class BenchJsonCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--seconds",
            defaultValue = "3",
            description = "Measured seconds per record type (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() {
        JsonBench.run(seconds, spec.commandLine().getOut());
        return 0;
    }
}
