package io.sensorcast.cli.kafka;

import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensorcast kafka}: the embedded KRaft broker as a long-lived process. */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = {
            "Run a real single-node Kafka broker (KRaft mode, in this JVM) until Ctrl-C,"
                    + " for machines without Kafka.",
            "Unlimited retention, replication factor 1. Not for production."
        })
public final class KafkaCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", description = "Client port.")
    int port;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description =
                    "Data directory, kept across restarts (default: a temporary one, deleted on exit).")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, dir);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        w.println(
                "Kafka broker (KRaft) ready at "
                        + broker.bootstrapServers()
                        + ", data in "
                        + broker.dataDir());
        w.println("Ctrl-C stops it.");
        w.flush();
        broker.awaitShutdown();
        return 0;
    }
}
