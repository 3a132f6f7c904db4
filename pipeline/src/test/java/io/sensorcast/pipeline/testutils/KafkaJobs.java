package io.sensorcast.pipeline.testutils;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.connectors.serde.JsonFormats;
import io.sensorcast.connectors.testutils.Topics;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Shared set-up of the Kafka-to-Kafka job tests. */
public final class KafkaJobs {

    private KafkaJobs() {}

    /** The job configuration for {@code broker}, reading from the start. */
    public static Configuration config(
            EmbeddedKafkaBroker broker, Path models, int window, String transactionalPrefix) {
        Configuration config = new Configuration();
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        config.set(KafkaOptions.STARTING_OFFSETS, "earliest");
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, transactionalPrefix);
        config.set(ForecastOptions.HISTORY, window);
        config.set(ForecastOptions.MIN_WINDOW, window); // complete windows only
        config.set(ModelStoreOptions.ROOT, models.toString());
        config.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ofMinutes(10));
        return config;
    }

    /** Publishes {@code readings} to the readings topic (created with {@code partitions}). */
    public static void replay(
            EmbeddedKafkaBroker broker, List<SensorReading> readings, int partitions)
            throws Exception {
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", broker.bootstrapServers());
        Replayer replayer = new Replayer(client);
        replayer.ensureTopic("sensorcast.readings", partitions);
        replayer.replay(readings, "sensorcast.readings", new Pacing.Max(), (a, b, c) -> {});
    }

    /**
     * The committed records of {@code topic} as {@code type}, once at least {@code expected} are
     * there (or 60 s).
     */
    public static <T> List<T> read(
            EmbeddedKafkaBroker broker, String topic, int expected, Class<T> type) {
        return read(broker, topic, expected, type, Duration.ofSeconds(60));
    }

    /** The committed forecasts, once at least {@code expected} are there (or the timeout). */
    public static List<ForecastRecord> forecasts(
            EmbeddedKafkaBroker broker, int expected, Duration timeout) {
        return read(broker, "sensorcast.forecasts", expected, ForecastRecord.class, timeout);
    }

    private static <T> List<T> read(
            EmbeddedKafkaBroker broker,
            String topic,
            int expected,
            Class<T> type,
            Duration timeout) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                Topics.readCommitted(broker.bootstrapServers(), topic, expected, timeout)) {
            try {
                out.add(JsonFormats.mapper().readValue(r.value(), type));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Polls {@code condition} every 100 ms until it holds; fails after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Starts ForecastJob between the topics of {@code config}, unbounded, with restarts off (so a
     * failure fails the test) and checkpoints every 300 ms; the caller cancels it.
     */
    public static org.apache.flink.core.execution.JobClient startForecastJob(
            Configuration config, int parallelism, String name) throws Exception {
        return startForecastJob(config, new Configuration(), parallelism, name);
    }

    /**
     * {@link #startForecastJob(Configuration, int, String)} with {@code flink}'s options too (a
     * state backend, a savepoint to restore).
     */
    public static org.apache.flink.core.execution.JobClient startForecastJob(
            Configuration config, Configuration flink, int parallelism, String name)
            throws Exception {
        flink = new Configuration(flink);
        flink.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "none");
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                        .getExecutionEnvironment(flink);
        env.setParallelism(parallelism);
        env.enableCheckpointing(300);
        io.sensorcast.pipeline.job.ForecastJob.fromKafka(env, config, false);
        return env.executeAsync(name);
    }
}
