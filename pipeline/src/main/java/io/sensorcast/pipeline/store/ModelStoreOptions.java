package io.sensorcast.pipeline.store;

import io.sensorcast.pipeline.job.OptionChecks;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Where models live, shared by the jobs and commands that publish and serve them. */
public final class ModelStoreOptions {

    public static final ConfigOption<String> ROOT =
            ConfigOptions.key("sensorcast.models.root")
                    .stringType()
                    .defaultValue("models")
                    .withDescription(
                            "Model store root, a path or file system URI (file://, s3://, hdfs://):"
                                    + " <root>/<group>/<version>/.");

    public static final ConfigOption<Integer> RETAIN =
            ConfigOptions.key("sensorcast.models.retain")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Versions kept per group; older ones are deleted on publish.");

    private ModelStoreOptions() {}

    /** The store the configuration names; a bad value fails naming its key. */
    public static ModelStore store(Configuration c) {
        if (c.get(ROOT).isBlank()) {
            throw new IllegalArgumentException(ROOT.key() + " must not be empty");
        }
        return new ModelStore(c.get(ROOT), OptionChecks.range(c, RETAIN, 1, 1000));
    }
}
