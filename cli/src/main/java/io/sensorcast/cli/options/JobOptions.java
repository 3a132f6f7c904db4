package io.sensorcast.cli.options;

import io.sensorcast.model.artifact.TempDirs;
import io.sensorcast.pipeline.config.OptionChecks;
import io.sensorcast.pipeline.job.LocalJobs;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every command that runs a Flink job in this JVM accepts. */
public final class JobOptions {

    @Mixin public KafkaClientOptions kafka = new KafkaClientOptions();

    @Option(
            names = "--models",
            defaultValue = "models",
            paramLabel = "ROOT",
            description = "Model store root, path or URI.")
    public String models;

    @Option(
            names = {"-p", "--parallelism"},
            paramLabel = "N",
            description = "Parallel subtasks (default: one per core; on a cluster, 2).")
    public Integer parallelism;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "10s",
            paramLabel = "DURATION",
            description =
                    "Checkpoint interval; exactly-once outputs become visible at each checkpoint"
                            + ".")
    String checkpointInterval;

    @Option(
            names = {"-D", "--conf"},
            paramLabel = "KEY=VALUE",
            description =
                    "Any job or Flink option, e.g. -D sensorcast.forecast.history=48 (see docs/configuration.md).",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Map<String, String> conf = new LinkedHashMap<>();

    /** The job configuration: these flags, then every -D on top. */
    public Configuration configuration() {
        Configuration c = new Configuration();
        kafka.applyTo(c);
        c.set(ModelStoreOptions.ROOT, models);
        conf.forEach(c::setString);
        return c;
    }

    /**
     * The options of a job submitted to a cluster: these flags, the model store made absolute (the
     * cluster's JVMs run in another directory), then every -D on top.
     */
    public Map<String, String> submitted() {
        Configuration c = new Configuration();
        kafka.applyTo(c);
        c.set(ModelStoreOptions.ROOT, new ModelStore(models, 1).root());
        c.set(
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                OptionChecks.duration("--checkpoint-interval", checkpointInterval));
        conf.forEach(c::setString);
        return c.toMap();
    }

    /** {@code --parallelism}, else {@code fallback}; in [1, 1024]. */
    public int parallelism(int fallback) {
        int p = parallelism != null ? parallelism : fallback;
        if (p < 1 || p > 1024) {
            throw new IllegalArgumentException("--parallelism must be in [1, 1024], got " + p);
        }
        return p;
    }

    /** A local (MiniCluster) environment with checkpointing on. */
    public StreamExecutionEnvironment environment(Configuration config) throws IOException {
        return StreamExecutionEnvironment.getExecutionEnvironment(flink(config));
    }

    /**
     * {@code config} with what a local (MiniCluster) job runs on: {@code --parallelism} (one per
     * core by default), checkpoints every {@code --checkpoint-interval} to a directory removed when
     * the JVM exits, unless {@code config} names one.
     */
    public Configuration flink(Configuration config) throws IOException {
        Configuration c = new Configuration(config);
        if (!c.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            Path dir = Files.createTempDirectory("sensorcast-checkpoints");
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> TempDirs.deleteQuietly(dir), "checkpoints"));
            LocalJobs.checkpointsToFiles(c, dir);
        }
        c.set(
                CoreOptions.DEFAULT_PARALLELISM,
                parallelism(Runtime.getRuntime().availableProcessors()));
        c.set(
                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                OptionChecks.duration("--checkpoint-interval", checkpointInterval));
        return c;
    }

    /** Has Ctrl-C cancel {@code client}'s job; returns the hook, for removal once it ended. */
    public static Thread cancelOnShutdown(org.apache.flink.core.execution.JobClient client) {
        Thread hook =
                new Thread(
                        () -> {
                            try {
                                client.cancel().get();
                            } catch (Exception e) {
                                // stopping anyway
                            }
                        },
                        "job-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
