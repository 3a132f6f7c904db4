package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.operators.ReadingOrder;
import io.sensorcast.pipeline.testutils.ExactlyOnce;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.TestModels;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Kafka broker stopped and started again (same port, same logs) while ForecastJob runs: the job
 * rides it out — its clients reconnect, or a failed checkpoint or transaction makes it restore from
 * the last completed checkpoint — and every reading, those sent before the stop and those sent
 * after the restart, is forecast exactly once in the committed output, in either reading order.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class KafkaBrokerRestartITCase {

    private static final int WINDOW = 24;
    private static final String SENSOR = "ec2_request_latency_system_failure";

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    @TempDir Path work;

    @ParameterizedTest
    @EnumSource(ReadingOrder.class)
    void noReadingIsLostAndEveryForecastArrivesOnceAcrossABrokerRestart(ReadingOrder order)
            throws Exception {
        List<SensorReading> readings =
                CsvReadings.read(TestModels.nab("realKnownCause", SENSOR), SENSOR).subList(0, 1200);
        List<SensorReading> before = readings.subList(0, 600);
        List<SensorReading> after = readings.subList(600, readings.size());
        // In event-time order the newest reading waits for a watermark past it, which no later
        // reading brings; in arrival order it is forecast at once.
        int forecast = order == ReadingOrder.ARRIVAL ? readings.size() : readings.size() - 1;
        Map<String, Set<String>> expected =
                ExactlyOnce.expectedTargets(readings.subList(0, forecast), WINDOW);
        int total = expected.values().stream().mapToInt(Set::size).sum();
        Path brokerDir = work.resolve("kafka");

        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(0, brokerDir);
        int port = URI.create("kafka://" + kafka.bootstrapServers()).getPort();
        JobClient job = null;
        try {
            Configuration config =
                    KafkaJobs.config(
                            kafka,
                            work.resolve("store" + order),
                            WINDOW,
                            "broker-restart-" + order);
            config.set(ForecastOptions.READING_ORDER, order);
            config.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ZERO);
            config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
            KafkaJobs.replay(kafka, before, 2);

            Configuration flink = new Configuration();
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 50);
            flink.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofSeconds(1));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.setParallelism(2);
            env.enableCheckpointing(300);
            ForecastJob.fromKafka(env, config, false);
            job = env.executeAsync("broker-restart-it-" + order);

            // forecasts of the first readings committed: the job is in full flight
            assertThat(KafkaJobs.forecasts(kafka, 200, Duration.ofSeconds(120)))
                    .hasSizeGreaterThanOrEqualTo(200);

            kafka.close(); // logs kept: the directory is ours
            Thread.sleep(5_000); // the outage
            kafka = EmbeddedKafkaBroker.start(port, brokerDir);
            KafkaJobs.replay(kafka, after, 2);

            List<ForecastRecord> forecasts =
                    KafkaJobs.forecasts(kafka, total, Duration.ofSeconds(180));
            ExactlyOnce.assertEveryForecastOnce(forecasts, expected);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            if (job != null) {
                job.cancel().get();
            }
            kafka.close();
        }
    }
}
