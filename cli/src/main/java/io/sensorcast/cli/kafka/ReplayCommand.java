package io.sensorcast.cli.kafka;

import io.sensorcast.cli.options.KafkaClientOptions;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.pipeline.data.CsvReadings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensorcast replay}: publishes CSV series to Kafka as readings, in event-time order. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Publish CSV rows (NAB timestamp,value or multi-column like ETT) as sensor readings with"
                    + " the file's event time. Several files become several sensors, interleaved in"
                    + " event-time order.",
            "Idempotent producer, acks=all; the topic is created (unlimited retention) when missing."
        })
public final class ReplayCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--csv",
            required = true,
            arity = "1..*",
            paramLabel = "FILE",
            description = "CSV file(s).")
    List<Path> files;

    @Option(names = "--topic", defaultValue = "sensorcast.readings", description = "Topic.")
    String topic;

    @CommandLine.Mixin KafkaClientOptions kafka = new KafkaClientOptions();

    @Option(
            names = "--partitions",
            defaultValue = "4",
            description = "Partitions if the topic is created.")
    int partitions;

    static final class SensorNaming {
        @Option(names = "--sensor", paramLabel = "ID", description = "Sensor id for a single file.")
        String sensor;

        @Option(
                names = "--sensor-from-filename",
                description = "Each file's name (no extension) is its sensor id (the default).")
        boolean fromFilename;
    }

    @ArgGroup(exclusive = true)
    SensorNaming naming;

    static final class PacingChoice {
        @Option(
                names = "--speed",
                paramLabel = "Nx",
                description = "Event time runs N times faster than wall time, e.g. 60x.")
        String speed;

        @Option(
                names = "--rate",
                paramLabel = "N/s",
                description = "A fixed number of records per second, e.g. 500/s.")
        String rate;

        @Option(names = "--max", description = "As fast as the broker takes them (the default).")
        boolean max;
    }

    @ArgGroup(exclusive = true)
    PacingChoice pacing;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (naming != null && naming.sensor != null && files.size() > 1) {
            throw new IllegalArgumentException(
                    "--sensor names one file's sensor; with several files use --sensor-from-filename");
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException(
                    "--partitions must be in [1, 10000], got " + partitions);
        }
        Pacing pace = pacing();
        List<SensorReading> readings =
                CsvReadings.readAll(files, naming != null ? naming.sensor : null);
        Replayer replayer = new Replayer(kafka.properties());
        replayer.ensureTopic(topic, partitions);
        out.printf(
                Locale.ROOT,
                "replaying %d readings of %d sensor(s) to %s at %s (%s)%n",
                readings.size(),
                files.size(),
                topic,
                kafka.bootstrap(),
                pace);
        out.flush();
        Replayer.Result result = replayer.replay(readings, topic, pace, Replayer.bar(err));
        err.println();
        out.printf(
                Locale.ROOT,
                "sent %d records in %.1f s: %.0f records/s%n",
                result.records(),
                result.seconds(),
                result.recordsPerSecond());
        return 0;
    }

    private Pacing pacing() {
        if (pacing == null || pacing.max) {
            return new Pacing.Max();
        }
        return Pacing.parse(pacing.speed != null ? pacing.speed : pacing.rate);
    }
}
