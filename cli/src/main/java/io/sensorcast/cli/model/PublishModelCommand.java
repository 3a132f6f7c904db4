package io.sensorcast.cli.model;

import io.sensorcast.cli.options.KafkaClientOptions;
import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.pipeline.store.ModelPublisher;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sensorcast publish-model}: a trained model into the store and onto model-updates. */
@Command(
        name = "publish-model",
        mixinStandardHelpOptions = true,
        description = {
            "Publish a model artifact (from `sensorcast train`) as the next version of a model"
                    + " group, and tell running forecast jobs on the model-updates topic.",
            "The artifact is verified first; a corrupt one is refused and nothing is published."
        })
public final class PublishModelCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Artifact.")
    Path model;

    @Option(
            names = "--group",
            required = true,
            description = "Model group (a sensor id, or a group from sensorcast.models.groups).")
    String group;

    @Option(
            names = "--store",
            defaultValue = "models",
            paramLabel = "ROOT",
            description = "Model store root, path or URI.")
    String store;

    @Option(names = "--retain", defaultValue = "5", description = "Versions kept per group.")
    int retain;

    @CommandLine.Mixin KafkaClientOptions kafka = new KafkaClientOptions();

    @Option(
            names = "--topic",
            defaultValue = "sensorcast.model-updates",
            description = "Model-updates topic.")
    String topic;

    @Option(names = "--no-notify", description = "Only write the store; send no model update.")
    boolean noNotify;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Configuration config = new Configuration();
        config.set(ModelStoreOptions.ROOT, store);
        config.set(ModelStoreOptions.RETAIN, retain);
        kafka.applyTo(config);
        config.set(KafkaOptions.MODEL_UPDATES_TOPIC, topic);
        ModelPublisher publisher = new ModelPublisher(config, "publish-model");
        if (noNotify) {
            ModelStore.Version v = publisher.store().publish(group, model);
            out.printf("published %s version %d at %s%n", group, v.version(), v.location());
            return 0;
        }
        ModelUpdate u = publisher.publish(group, model);
        out.printf("published %s version %d at %s%n", group, u.version(), u.location());
        out.printf("sent the update to %s at %s%n", topic, kafka.bootstrap());
        return 0;
    }
}
