package io.sensorcast.pipeline.job;

import io.sensorcast.connectors.format.ParsedRecord;
import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.kafka.KafkaTopics;
import io.sensorcast.connectors.sink.KafkaSinks;
import io.sensorcast.connectors.source.ReadingSources;
import io.sensorcast.pipeline.operators.GroupMapping;
import io.sensorcast.pipeline.retrain.BiLstmTrainer;
import io.sensorcast.pipeline.retrain.CandidateTrainer;
import io.sensorcast.pipeline.retrain.GroupRetrainFunction;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.retrain.RetrainSettings;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retraining job: one round reads the readings topic (bounded: from the earliest retained
 * offset, or between {@code sensorcast.retrain.from} and {@code to} by record timestamp), keys it
 * by model group and, per group, trains a candidate, judges it against the model in service and the
 * baselines on the newest slice, and publishes the winners to the model store and the model-updates
 * topic, which ForecastJob follows. Every decision goes to the retrain-reports topic. Groups train
 * in parallel across slots.
 *
 * <pre>
 * readings topic → keyBy group → GroupRetrainFunction → retrain-reports topic
 *                                     └→ model store + model-updates topic (promotions)
 * </pre>
 *
 * <p>Modes ({@code sensorcast.retrain.mode}): {@code once} runs one round and returns (for a
 * Kubernetes CronJob or any scheduler); {@code periodic} runs a round every {@code
 * sensorcast.retrain.interval} until stopped. A group with no model gets its first as soon as it
 * has {@code sensorcast.retrain.min-readings} readings.
 */
public final class RetrainJob {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainJob.class);

    private RetrainJob() {}

    /** {@code --key value} configuration on top of the cluster's; runs by the configured mode. */
    public static void main(String[] args) throws Exception {
        Configuration config =
                JobConfiguration.of(
                        StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration(),
                        args);
        KafkaTopics.requireExisting(
                config, List.of(KafkaOptions.READINGS_TOPIC, KafkaOptions.RETRAIN_REPORTS_TOPIC));
        run(config, new Configuration(), new BiLstmTrainer(), rounds -> false);
    }

    /**
     * Runs rounds by the configured mode: one, or (periodic) one every interval until {@code stop}
     * says so, asked with the number of rounds done so far.
     *
     * @param flink the execution environment's configuration
     * @return the rounds run
     */
    public static int run(
            Configuration config, Configuration flink, CandidateTrainer trainer, IntPredicate stop)
            throws Exception {
        RetrainOptions.validate(config);
        KafkaOptions.validate(config);
        boolean periodic = RetrainOptions.mode(config) == RetrainOptions.Mode.PERIODIC;
        Duration interval = config.get(RetrainOptions.INTERVAL);
        int round = 0;
        do {
            long started = System.nanoTime();
            round++;
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            if (env.getCheckpointConfig().getCheckpointInterval() <= 0) {
                env.enableCheckpointing(1000); // the report sink commits on checkpoints
            }
            fromKafka(env, config, trainer);
            LOG.info("Retrain round {} starting", round);
            env.execute("sensorcast-retrain-" + round);
            long wait = interval.toNanos() - (System.nanoTime() - started);
            while (periodic && wait > 0 && !stop.test(round)) {
                Thread.sleep(Math.min(200, wait / 1_000_000 + 1));
                wait = interval.toNanos() - (System.nanoTime() - started);
            }
        } while (periodic && !stop.test(round));
        return round;
    }

    /** One round's dataflow between the topics; returns the reports also written to Kafka. */
    public static DataStream<RetrainReport> fromKafka(
            StreamExecutionEnvironment env, Configuration config, CandidateTrainer trainer) {
        Configuration source = new Configuration(config);
        source.set(KafkaOptions.GROUP_ID, config.get(KafkaOptions.GROUP_ID) + "-retrain");
        DataStream<SensorReading> readings =
                env.fromSource(
                                ReadingSources.boundedReadings(
                                        source,
                                        RetrainOptions.instant(config, RetrainOptions.FROM),
                                        RetrainOptions.instant(config, RetrainOptions.TO)),
                                WatermarkStrategy.noWatermarks(),
                                "kafka-readings")
                        .uid("kafka-readings")
                        .filter(ParsedRecord::isValid)
                        .name("valid-readings")
                        .map(p -> p.reading)
                        .name("readings");
        DataStream<RetrainReport> reports = build(readings, config, trainer);
        // Transactional ids of their own per round: a round that overlaps another (a periodic
        // job beside a manual one, or a CronJob round outliving its schedule) must not fence it.
        String round =
                Long.toString(System.currentTimeMillis(), 36)
                        + "-"
                        + Integer.toString(
                                java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 30),
                                36);
        reports.sinkTo(KafkaSinks.retrainReports(config, "retrain-reports-" + round))
                .name("report-sink")
                .uid("report-sink");
        return reports;
    }

    /** The dataflow on a bounded stream of readings; the configuration is checked first. */
    public static DataStream<RetrainReport> build(
            DataStream<SensorReading> readings, Configuration config, CandidateTrainer trainer) {
        RetrainSettings settings = RetrainSettings.from(config);
        JobConfiguration.withoutKryo(readings.getExecutionEnvironment());
        ModelStoreOptions.store(config); // where the winners are published
        GroupMapping groups = ForecastOptions.groups(config);
        int window = settings.window();
        if (window > config.get(ForecastOptions.HISTORY)) {
            throw new IllegalArgumentException(
                    RetrainOptions.WINDOW.key()
                            + " must be at most "
                            + ForecastOptions.HISTORY.key()
                            + " ("
                            + config.get(ForecastOptions.HISTORY)
                            + "), got "
                            + window);
        }
        return readings.keyBy(r -> groups.groupOf(r.sensor))
                .process(new GroupRetrainFunction(settings, config, trainer))
                .name("retrain")
                .uid("retrain");
    }
}
