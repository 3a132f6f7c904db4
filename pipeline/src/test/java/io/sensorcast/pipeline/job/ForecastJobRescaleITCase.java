package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.StateBackends;
import io.sensorcast.pipeline.testutils.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A job stopped with a savepoint at parallelism 2 and resumed from that one savepoint at 4 and at
 * 1, and a job cancelled at 2 and resumed at 4 from its retained checkpoint: every sensor's state
 * comes back, so each reading's score equals the score an uninterrupted run gave it (the detector
 * goes on without a new warm-up), and no score is lost or repeated.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ForecastJobRescaleITCase {

    private static final int WINDOW = 24;

    private static final String[][] FILES = {
        {"realKnownCause", "ec2_request_latency_system_failure"},
        {"realKnownCause", "machine_temperature_system_failure"},
        {"artificialWithAnomaly", "art_daily_jumpsup"},
    };

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(4);

    @TempDir Path work;

    @ParameterizedTest
    @EnumSource(StateBackends.class)
    void resumesAtOtherParallelismsWithTheScoresOfAnUninterruptedRun(StateBackends backend)
            throws Exception {
        List<SensorReading> readings = CsvReadings.merge(TestModels.fleet(FILES, 3000));
        int half = readings.size() / 2;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            KafkaJobs.replay(kafka, readings.subList(0, half), 4);
            Map<String, String> before;
            String savepoint;
            JobClient first = start(kafka, "first", 2, backend, null);
            try {
                // every reading of the first half that has a forecast scored, and committed
                before = scores(kafka, "first", scored(readings.subList(0, half)));
            } finally {
                savepoint =
                        first.stopWithSavepoint(
                                        false,
                                        work.resolve("savepoints").toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get(2, TimeUnit.MINUTES);
            }
            // another run of the first half, cancelled once its scores are committed: its newest
            // checkpoint is retained
            JobClient cancelled = start(kafka, "cancelled", 2, backend, null);
            Map<String, String> beforeCancel =
                    scores(kafka, "cancelled", scored(readings.subList(0, half)));
            cancelled.cancel().get(1, TimeUnit.MINUTES);
            String checkpoint = newestCheckpoint(cancelled.getJobID());
            KafkaJobs.replay(kafka, readings.subList(half, readings.size()), 4);

            int total = scored(readings);
            Map<String, String> uninterrupted =
                    run(kafka, "uninterrupted", 2, backend, null, total);
            record Restore(String name, String path, int parallelism, Map<String, String> before) {}
            for (Restore r :
                    List.of(
                            new Restore("savepoint-at-4", savepoint, 4, before),
                            new Restore("savepoint-at-1", savepoint, 1, before),
                            new Restore("checkpoint-at-4", checkpoint, 4, beforeCancel))) {
                Map<String, String> after =
                        run(
                                kafka,
                                r.name(),
                                r.parallelism(),
                                backend,
                                r.path(),
                                total - r.before().size());
                Map<String, String> all = new TreeMap<>(r.before());
                after.forEach(
                        (k, v) ->
                                assertThat(all.put(k, v))
                                        .as("%s: %s scored before and after", r.name(), k)
                                        .isNull());
                assertThat(all).as(r.name()).isEqualTo(uninterrupted);
            }
        }
    }

    /** The newest completed checkpoint {@code job} left in the checkpoint directory. */
    private String newestCheckpoint(JobID job) throws IOException {
        try (Stream<Path> dirs =
                Files.list(work.resolve("checkpoints").resolve(job.toHexString()))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(
                            Comparator.comparingInt(
                                    d -> Integer.parseInt(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint of " + job))
                    .toUri()
                    .toString();
        }
    }

    /**
     * How many of {@code readings} are scored: a sensor's forecasts start at its {@link #WINDOW}th
     * reading (complete windows only), and each forecast is scored by the next reading.
     */
    private static int scored(List<SensorReading> readings) {
        Map<String, Integer> per = new TreeMap<>();
        readings.stream()
                .map(r -> r.sensor + "@" + r.timestamp)
                .distinct() // a repeated time is dropped as a duplicate
                .forEach(k -> per.merge(k.substring(0, k.indexOf('@')), 1, Integer::sum));
        return per.values().stream().mapToInt(n -> Math.max(0, n - WINDOW)).sum();
    }

    /** Runs the job as {@code name} until it scored {@code expected} readings; its scores. */
    private Map<String, String> run(
            EmbeddedKafkaBroker kafka,
            String name,
            int parallelism,
            StateBackends backend,
            String savepoint,
            int expected)
            throws Exception {
        JobClient job = start(kafka, name, parallelism, backend, savepoint);
        try {
            return scores(kafka, name, expected);
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    /**
     * ForecastJob as {@code name}: its own outputs and transactional ids, no model (persistence).
     */
    private JobClient start(
            EmbeddedKafkaBroker kafka,
            String name,
            int parallelism,
            StateBackends backend,
            String savepoint)
            throws Exception {
        Configuration config = KafkaJobs.config(kafka, work.resolve("models"), WINDOW, name);
        config.set(KafkaOptions.GROUP_ID, name);
        config.set(KafkaOptions.FORECASTS_TOPIC, name + ".forecasts");
        config.set(KafkaOptions.SCORES_TOPIC, name + ".scores");
        config.set(KafkaOptions.ANOMALIES_TOPIC, name + ".anomalies");
        config.set(KafkaOptions.LATE_TOPIC, name + ".late");
        Configuration flink = backend.configure(new Configuration(), work.resolve("checkpoints"));
        flink.setString(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        if (savepoint != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        return KafkaJobs.startForecastJob(config, flink, parallelism, name);
    }

    /**
     * The committed scores of run {@code name} (score, alert score, flag) by sensor and target
     * time, once it has them all.
     */
    private static Map<String, String> scores(
            EmbeddedKafkaBroker kafka, String name, int expected) {
        List<ScoreRecord> read =
                KafkaJobs.read(kafka, name + ".scores", expected, ScoreRecord.class);
        assertThat(read).as("scores of " + name).hasSize(expected);
        Map<String, String> byReading = new TreeMap<>();
        for (ScoreRecord r : read) {
            String key = r.sensor() + "@" + r.targetTs();
            String value = r.score() + " " + r.alertScore() + " " + r.isAnomaly();
            assertThat(byReading.put(key, value)).as("%s scored twice", key).isNull();
        }
        assertThat(byReading).hasSize(expected);
        return byReading;
    }
}
