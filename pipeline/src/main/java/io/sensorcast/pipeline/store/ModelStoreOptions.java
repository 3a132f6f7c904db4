package io.sensorcast.pipeline.store;

import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.pipeline.config.OptionChecks;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;

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

    public static final ConfigOption<Long> MAX_PARAMETERS =
            ConfigOptions.key("sensorcast.models.max-parameters")
                    .longType()
                    .defaultValue(ModelArtifact.Limits.DEFAULT.maxParameters())
                    .withDescription(
                            "Most recurrent parameters a model may have; a manifest announcing"
                                    + " more is refused before anything is allocated.");

    public static final ConfigOption<MemorySize> MAX_ARTIFACT_SIZE =
            ConfigOptions.key("sensorcast.models.max-artifact-size")
                    .memoryType()
                    .defaultValue(new MemorySize(ModelArtifact.Limits.DEFAULT.maxFileBytes()))
                    .withDescription(
                            "Largest file of a model artifact; a larger one is refused by its size,"
                                    + " before it is fetched or read.");

    private ModelStoreOptions() {}

    /** The model limits the configuration names; a bad value fails naming its key. */
    public static ModelArtifact.Limits limits(Configuration c) {
        long parameters = c.get(MAX_PARAMETERS);
        if (parameters < 1 || parameters > 10_000_000_000L) {
            throw new IllegalArgumentException(
                    MAX_PARAMETERS.key() + " must be in [1, 10000000000], got " + parameters);
        }
        long bytes = c.get(MAX_ARTIFACT_SIZE).getBytes();
        if (bytes < 1024 || bytes > (64L << 30)) {
            throw new IllegalArgumentException(
                    MAX_ARTIFACT_SIZE.key() + " must be in [1 kb, 64 gb], got " + bytes + " bytes");
        }
        return new ModelArtifact.Limits(parameters, bytes);
    }

    /** The store the configuration names; a bad value fails naming its key. */
    public static ModelStore store(Configuration c) {
        if (c.get(ROOT).isBlank()) {
            throw new IllegalArgumentException(ROOT.key() + " must not be empty");
        }
        return new ModelStore(c.get(ROOT), OptionChecks.range(c, RETAIN, 1, 1000));
    }
}
