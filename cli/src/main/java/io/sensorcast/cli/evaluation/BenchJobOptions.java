package io.sensorcast.cli.evaluation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What the job benches take: the job's parallelism and options. */
public final class BenchJobOptions {

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "The job's subtasks, one libtorch thread each (default: one per core).")
    Integer parallelism;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(
            names = {"-D", "--conf"},
            paramLabel = "KEY=VALUE",
            description =
                    "A job option (sensorcast.*) or Flink option for every run, e.g. -D"
                            + " sensorcast.forecast.reading-order=EVENT_TIME.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Map<String, String> conf = new LinkedHashMap<>();

    int parallelism() {
        return parallelism != null ? parallelism : Runtime.getRuntime().availableProcessors();
    }
}
