package io.sensorcast.cli.job;

import io.sensorcast.cli.options.JobOptions;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.kafka.KafkaTopics;
import io.sensorcast.pipeline.job.ForecastJob;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sensorcast forecast}: ForecastJob on a Flink MiniCluster in this JVM. */
@Command(
        name = "forecast",
        mixinStandardHelpOptions = true,
        description = {
            "Run ForecastJob in this JVM (Flink MiniCluster) until Ctrl-C: readings from Kafka,"
                    + " forecasts, scores, anomalies, late readings and dead letters back to Kafka,"
                    + " exactly-once; models from the store, replaced as model updates arrive.",
            "The same job runs on a cluster from the job jar (see docs/cluster.md)."
        })
public final class ForecastCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin JobOptions job;

    @Option(
            names = "--embedded-kafka",
            description =
                    "Start the embedded KRaft broker in this JVM on the --bootstrap port instead"
                            + " of connecting to one.")
    boolean embeddedKafka;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EmbeddedKafkaBroker broker = embeddedKafka ? startBroker(out) : null;
        try {
            Configuration config = job.configuration();
            KafkaTopics.requireExisting(config, ForecastJob.TOPICS);
            StreamExecutionEnvironment env = job.environment(config);
            ForecastJob.fromKafka(env, config, false);
            JobClient client = env.executeAsync("sensorcast-forecast");
            out.printf(
                    "ForecastJob %s running: %s -> %s, models in %s. Ctrl-C stops it.%n",
                    client.getJobID(),
                    config.get(KafkaOptions.READINGS_TOPIC),
                    config.get(KafkaOptions.FORECASTS_TOPIC),
                    job.models);
            out.flush();
            JobOptions.cancelOnShutdown(client);
            client.getJobExecutionResult().get();
            return 0;
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** The embedded broker on the {@code --bootstrap} port, which the job then reads. */
    private EmbeddedKafkaBroker startBroker(PrintWriter out) throws Exception {
        String bootstrap = job.kafka.bootstrap();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, null);
        job.kafka.bootstrap = broker.bootstrapServers();
        out.println("embedded Kafka broker (KRaft) at " + broker.bootstrapServers());
        return broker;
    }
}
