package io.sensorcast.cli.kafka;

import io.sensorcast.cli.options.KafkaClientOptions;
import io.sensorcast.connectors.kafka.KafkaTopics;
import io.sensorcast.pipeline.config.OptionChecks;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sensorcast topics}: checks, or creates, every topic the jobs use. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Check that every sensorcast topic exists (exit 1 if one is missing), or create the"
                    + " missing ones: readings and the outputs with --partitions and"
                    + " --retention, model-updates with one partition, compacted. Production"
                    + " brokers rarely create topics on first use; the jobs refuse to start when"
                    + " one they use is missing there."
        })
public final class TopicsCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

    @Parameters(
            index = "0",
            arity = "0..1",
            defaultValue = "check",
            paramLabel = "ACTION",
            description =
                    "check (default: exit 1 when a topic is missing) or create (the missing ones).")
    String action;

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description =
                    "Partitions of readings and the outputs;" + " model-updates always has one.")
    int partitions;

    @Option(
            names = "--replication",
            defaultValue = "-1",
            description = "Replication factor (default: the broker's, -1).")
    short replication;

    @Option(
            names = "--retention",
            defaultValue = "7d",
            paramLabel = "DURATION",
            description =
                    "Retention of readings and the outputs, 0 for unlimited"
                            + "; model-updates is compacted instead.")
    String retention;

    @Option(
            names = {"-D", "--conf"},
            paramLabel = "KEY=VALUE",
            description = "Topic names, e.g. -D sensorcast.kafka.topic.readings=plant.readings.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Map<String, String> conf = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (replication == 0 || replication < -1) {
            throw new IllegalArgumentException(
                    "--replication must be -1 (the broker's default) or >= 1, got " + replication);
        }
        Duration keep =
                retention.trim().equals("0")
                        ? Duration.ZERO
                        : OptionChecks.duration("--retention", retention);
        Configuration config = new Configuration();
        kafka.applyTo(config);
        conf.forEach(config::setString);
        List<KafkaTopics.Status> statuses =
                KafkaTopics.createOrVerify(
                        config, KafkaTopics.layout(partitions, keep), replication, create());
        out.printf(Locale.ROOT, "%-36s %-8s %10s  %s%n", "topic", "state", "partitions", "cleanup");
        for (KafkaTopics.Status s : statuses) {
            out.printf(
                    Locale.ROOT,
                    "%-36s %-8s %10s  %s%n",
                    s.topic(),
                    s.state(),
                    s.partitions() == 0 ? "-" : Integer.toString(s.partitions()),
                    s.cleanupPolicy());
        }
        boolean missing = statuses.stream().anyMatch(s -> s.state().equals("missing"));
        if (missing) {
            out.printf(
                    "missing topics on %s: create them with 'topics create'%n", kafka.bootstrap());
        }
        return missing ? 1 : 0;
    }

    /** Whether ACTION creates the missing topics, or only checks. */
    private boolean create() {
        return switch (action) {
            case "create" -> true;
            case "check" -> false;
            default ->
                    throw new IllegalArgumentException(
                            "ACTION must be check or create, got '" + action + "'");
        };
    }
}
