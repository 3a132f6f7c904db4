package io.sensorcast.evaluation.stack;

import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.model.artifact.TempDirs;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.LocalJobs;
import io.sensorcast.pipeline.job.RetrainJob;
import io.sensorcast.pipeline.retrain.BiLstmTrainer;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The product on this machine, for the commands that run it whole ({@code demo}, {@code nab},
 * {@code bench}): an embedded KRaft broker, a working directory for the model store and
 * checkpoints, the jobs' base configuration pointing at both, ForecastJob on a MiniCluster,
 * retraining rounds, and typed readers of the outputs. Closing cancels the jobs it started, stops
 * the broker and deletes the directory.
 */
public final class LocalStack implements AutoCloseable {

    private final String name;
    private final EmbeddedKafkaBroker kafka;
    private final Path work;
    private final Configuration job = new Configuration();
    private final List<JobClient> jobs = new ArrayList<>();
    private final List<OutputReader> readers = new ArrayList<>();
    private Admin admin; // made at the first caughtUp, which a command asks again and again

    private LocalStack(String name, EmbeddedKafkaBroker kafka, Path work) {
        this.name = name;
        this.kafka = kafka;
        this.work = work;
        job.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        job.set(KafkaOptions.STARTING_OFFSETS, "earliest");
        job.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, name);
        job.set(KafkaOptions.GROUP_ID, "sensorcast-" + name + "-forecast");
        job.set(ModelStoreOptions.ROOT, work.resolve("models").toString());
    }

    /** Starts a broker and makes a working directory; {@code name} tells the jobs' ids apart. */
    public static LocalStack start(String name) throws Exception {
        Path work = Files.createTempDirectory("sensorcast-" + name);
        try {
            return new LocalStack(name, EmbeddedKafkaBroker.start(), work);
        } catch (RuntimeException e) {
            TempDirs.deleteQuietly(work);
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Path work() {
        return work;
    }

    /**
     * The jobs' configuration, for the command to add to before it starts them: the broker, its
     * outputs from the earliest offsets, transactional ids and consumer group by the stack's name,
     * the model store in the working directory.
     */
    public Configuration job() {
        return job;
    }

    /** A producer of readings for this broker. */
    public Replayer replayer() {
        return new Replayer(KafkaOptions.connection(job));
    }

    /** Creates the readings topic of the jobs' configuration, unless it exists. */
    public void ensureReadings(int partitions) throws Exception {
        replayer().ensureTopic(job.get(KafkaOptions.READINGS_TOPIC), partitions);
    }

    /**
     * A MiniCluster configuration at {@code parallelism}, checkpointing to files in the working
     * directory under {@code checkpoints}.
     */
    public Configuration flink(int parallelism, String checkpoints) {
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        LocalJobs.checkpointsToFiles(flink, work.resolve(checkpoints));
        return flink;
    }

    /**
     * Starts ForecastJob on the jobs' configuration between the broker's topics, on a MiniCluster
     * of {@code flink}, checkpointing every {@code checkpointMillis}; it runs until cancelled or
     * the stack closes.
     */
    public JobClient startForecast(Configuration flink, long checkpointMillis) throws Exception {
        JobClient client =
                forecast(job, flink, checkpointMillis, false)
                        .executeAsync("sensorcast-" + name + "-forecast");
        jobs.add(client);
        return client;
    }

    /**
     * An environment on a MiniCluster of {@code flink} with ForecastJob wired by {@code config}
     * (the stack's {@link #job()} or a variant of it), checkpointing every {@code
     * checkpointMillis}, for the caller to run: {@code bounded} stops at the readings' end offsets
     * at start.
     */
    public static StreamExecutionEnvironment forecast(
            Configuration config, Configuration flink, long checkpointMillis, boolean bounded)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.enableCheckpointing(checkpointMillis);
        ForecastJob.fromKafka(env, config, bounded);
        return env;
    }

    /**
     * Runs RetrainJob rounds with {@code config} (the jobs' configuration and the round's own
     * settings) on a MiniCluster of one slot, training BiLSTMs, by its mode: one round, or rounds
     * until {@code stop} says so.
     */
    public int retrain(Configuration config, IntPredicate stop) throws Exception {
        Configuration flink = new Configuration();
        flink.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        return RetrainJob.run(config, flink, new BiLstmTrainer(), stop);
    }

    /** Starts reading {@code outputs} back in consumer group {@code groupId}. */
    public OutputReader read(
            String groupId, EnumSet<OutputReader.Output> outputs, OutputReader.Listener listener) {
        OutputReader reader = new OutputReader(job, groupId, outputs, listener);
        readers.add(reader);
        return reader;
    }

    /**
     * Whether ForecastJob has read and checkpointed every reading on the readings topic (its
     * committed source offsets are at the topic's end) and {@code reader} has read every output
     * committed so far: then everything replayed so far has come out.
     */
    public boolean caughtUp(OutputReader reader) {
        if (admin == null) {
            admin = Admin.create(KafkaOptions.connection(job));
        }
        try {
            Map<TopicPartition, Long> readingsEnd =
                    endOffsets(
                            admin,
                            List.of(job.get(KafkaOptions.READINGS_TOPIC)),
                            IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(job.get(KafkaOptions.GROUP_ID))
                            .partitionsToOffsetAndMetadata()
                            .get();
            for (Map.Entry<TopicPartition, Long> e : readingsEnd.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                if (e.getValue() > 0 && (c == null || c.offset() < e.getValue())) {
                    return false;
                }
            }
            Map<TopicPartition, Long> read = reader.positions();
            for (Map.Entry<TopicPartition, Long> e :
                    endOffsets(admin, reader.topics(), IsolationLevel.READ_COMMITTED).entrySet()) {
                if (read.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (ExecutionException e) {
            return false; // a topic not created yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(
            Admin admin, List<String> topics, IsolationLevel isolation)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(isolation))
                .all()
                .get()
                .forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    /** Cancels the jobs started here, stops the readers and the broker, deletes the directory. */
    @Override
    public void close() throws Exception {
        try {
            for (JobClient j : jobs) {
                try {
                    j.cancel().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // finished, failed or cancelled already
                }
            }
            for (OutputReader r : readers) {
                r.close();
            }
            if (admin != null) {
                admin.close();
            }
        } finally {
            kafka.close();
            TempDirs.deleteQuietly(work);
        }
    }
}
