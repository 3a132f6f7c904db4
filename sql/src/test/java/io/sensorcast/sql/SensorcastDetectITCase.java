package io.sensorcast.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.store.ModelPublisher;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SENSORCAST_DETECT} on a real broker through Flink's Kafka SQL connector gives the scores
 * ForecastJob publishes for the same readings: one sensor served by a model from the store, one by
 * persistence (its group has none).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SensorcastDetectITCase {

    private static final String MODELLED = "ec2_request_latency_system_failure";
    private static final String PERSISTENT = "machine_temperature_system_failure";
    private static final int WINDOW = 24;
    private static final int READINGS = 1200;

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    @TempDir Path work;

    @Test
    void scoresEqualForecastJobsForTheSameReadings() throws Exception {
        Path csv = TestModels.nab("realKnownCause", MODELLED);
        Path artifact = work.resolve("artifact");
        TestModels.trainOneStep(csv, WINDOW, new TimeSplit(600, 800, 1000), 1, artifact);
        List<SensorReading> readings = new ArrayList<>();
        readings.addAll(CsvReadings.read(csv, MODELLED).subList(0, READINGS));
        readings.addAll(
                CsvReadings.read(TestModels.nab("realKnownCause", PERSISTENT), PERSISTENT)
                        .subList(0, READINGS));
        Path store = work.resolve("store");

        Map<String, ScoreRecord> byJob = new HashMap<>();
        Map<String, Row> bySql = new HashMap<>();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config = KafkaJobs.config(kafka, store, WINDOW, "sql-it");
            new ModelPublisher(config, "sql-it").publish(MODELLED, artifact);
            KafkaJobs.replay(kafka, readings, 2);

            Configuration flink = new Configuration();
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.setParallelism(2);
            env.enableCheckpointing(500);
            ForecastJob.fromKafka(env, config, true);
            env.execute("sql-it-datastream");
            // a sensor's first window's forecast settles nothing; a repeated timestamp is ignored
            int expected = scored(readings, MODELLED) + scored(readings, PERSISTENT);
            for (ScoreRecord s :
                    KafkaJobs.read(kafka, "sensorcast.scores", expected, ScoreRecord.class)) {
                byJob.put(s.sensor() + "@" + Instant.parse(s.targetTs()).toEpochMilli(), s);
            }
            assertThat(byJob.size()).isEqualTo(expected);

            TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
            sql.getConfig().set("parallelism.default", "2");
            sql.createTemporarySystemFunction(SensorcastDetect.NAME, SensorcastDetect.class);
            sql.executeSql(
                    SqlScripts.readingsTable(
                            "readings", kafka.bootstrapServers(), "sensorcast.readings"));
            TableResult result =
                    sql.executeSql(
                            "SELECT sensor, rowtime, target, score, alert_score, is_anomaly,"
                                    + " model_version FROM SENSORCAST_DETECT("
                                    + " input => TABLE readings PARTITION BY sensor,"
                                    + " on_time => DESCRIPTOR(ts), uid => 'detect',"
                                    + " store => '"
                                    + store
                                    + "', options => 'sensorcast.forecast.history="
                                    + WINDOW
                                    + "; sensorcast.forecast.min-window="
                                    + WINDOW
                                    + "')");
            try (CloseableIterator<Row> rows = result.collect()) {
                while (rows.hasNext()) {
                    Row r = rows.next();
                    if (r.getField("score") != null) {
                        Instant t = r.getFieldAs("rowtime");
                        bySql.put(r.getField("sensor") + "@" + t.toEpochMilli(), r);
                    }
                }
            }
        }

        assertThat(bySql.size()).isEqualTo(byJob.size());
        assertThat(bySql.keySet()).isEqualTo(byJob.keySet());
        byJob.forEach(
                (key, s) -> {
                    Row r = bySql.get(key);
                    assertThat((Double) r.getFieldAs("score")).isCloseTo(s.score(), within(1e-6));
                    assertThat((Double) r.getFieldAs("alert_score"))
                            .isCloseTo(s.alertScore(), within(1e-6));
                    assertThat((Boolean) r.getFieldAs("is_anomaly")).isEqualTo(s.isAnomaly());
                });
        assertThat(byJob.values()).anyMatch(s -> s.modelVersion() == 1);
        assertThat(byJob.values()).anyMatch(ScoreRecord::isAnomaly);
    }

    private static int scored(List<SensorReading> readings, String sensor) {
        long distinct =
                readings.stream()
                        .filter(r -> r.sensor.equals(sensor))
                        .mapToLong(r -> r.timestamp)
                        .distinct()
                        .count();
        return (int) distinct - WINDOW;
    }
}
