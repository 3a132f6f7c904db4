package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.operators.ReadingOrder;
import io.sensorcast.pipeline.testutils.ExactlyOnce;
import io.sensorcast.pipeline.testutils.FailOnce;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.StateBackends;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A failure injected mid-stream: the job restores from its last checkpoint, and with read_committed
 * every expected forecast is there exactly once (by sensor and target time), in either reading
 * order and on either state backend; the anomalies, at-least-once, are the flagged scores, every
 * one at least once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ForecastJobFailoverITCase {

    private static final int WINDOW = 24;
    private static final List<String[]> SENSORS =
            List.of(
                    new String[] {"realKnownCause", "ec2_request_latency_system_failure"},
                    new String[] {"artificialWithAnomaly", "art_daily_jumpsup"});

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    @TempDir Path models;

    @TempDir Path checkpoints;

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "EVENT_TIME, HASHMAP",
        "ARRIVAL, HASHMAP",
        "EVENT_TIME, ROCKSDB",
        "ARRIVAL, ROCKSDB"
    })
    void restoresFromACheckpointWithEveryForecastExactlyOnce(
            ReadingOrder order, StateBackends backend) throws Exception {
        List<List<SensorReading>> series = new java.util.ArrayList<>();
        for (String[] s : SENSORS) {
            Path csv = TestModels.nab(s[0], s[1]);
            TestModels.trainOneStep(
                    csv, WINDOW, new TimeSplit(1500, 2000, 2500), 1, models.resolve(s[1] + "/1"));
            series.add(CsvReadings.read(csv, s[1]));
        }
        List<SensorReading> readings = CsvReadings.merge(series);
        Map<String, Set<String>> expected = ExactlyOnce.expectedTargets(readings, WINDOW);
        int total = expected.values().stream().mapToInt(Set::size).sum();

        List<ForecastRecord> forecasts;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            KafkaJobs.replay(kafka, readings, 2);
            Configuration config =
                    KafkaJobs.config(kafka, models, WINDOW, "failover-it-" + order + "-" + backend);
            config.set(ForecastOptions.READING_ORDER, order);

            FailOnce.FAILED.set(false);
            Configuration flink = backend.configure(new Configuration(), checkpoints);
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
            flink.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(200));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.setParallelism(2);
            env.enableCheckpointing(200);
            DataStream<SensorReading> source =
                    ForecastJob.readingsFromKafka(env, config, ForecastSettings.of(config), true)
                            .map(new FailOnce<>(1500))
                            .name("inject-failure");
            ForecastJob.toKafka(
                    ForecastJob.build(
                            source,
                            ForecastJob.modelUpdates(env, config, true),
                            ForecastSettings.of(config)),
                    config);
            env.execute("failover-it");
            assertThat(FailOnce.FAILED).isTrue();

            forecasts = KafkaJobs.forecasts(kafka, total, Duration.ofSeconds(60));
            // every forecast but each sensor's last is scored
            List<ScoreRecord> scores =
                    KafkaJobs.read(
                            kafka, "sensorcast.scores", total - SENSORS.size(), ScoreRecord.class);
            assertThat(scores).hasSize(total - SENSORS.size());
            Set<String> flagged =
                    scores.stream()
                            .filter(ScoreRecord::isAnomaly)
                            .map(ForecastJobFailoverITCase::id)
                            .collect(Collectors.toSet());
            assertThat(flagged).as("flagged scores").isNotEmpty();
            List<ScoreRecord> anomalies =
                    KafkaJobs.read(
                            kafka, "sensorcast.anomalies", flagged.size(), ScoreRecord.class);
            assertThat(
                            anomalies.stream()
                                    .map(ForecastJobFailoverITCase::id)
                                    .collect(Collectors.toSet()))
                    .isEqualTo(flagged);
        }

        ExactlyOnce.assertEveryForecastOnce(forecasts, expected);
    }

    /** What identifies an anomaly, for a consumer that drops repeats. */
    private static String id(ScoreRecord r) {
        return r.sensor() + "|" + r.target() + "|" + r.targetTs();
    }
}
