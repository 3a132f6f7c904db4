package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.serde.JsonFormats;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.connectors.testutils.Topics;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.retrain.BiLstmTrainer;
import io.sensorcast.pipeline.retrain.CandidateTrainer;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two RetrainJob rounds at once on the same topics and store, as a periodic job beside a manual
 * round (or a CronJob round outliving its slot) would run: neither fences the other's transactional
 * report sink (restarts are off, so a fenced producer would fail its round), both reports are
 * committed, and the store gains one version, judged against the one it supersedes.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ConcurrentRetrainITCase {

    private static final int WINDOW = 24;
    private static final String SENSOR = "ec2_request_latency_system_failure";

    /** Held by the trainers until both rounds run: their jobs, and report sinks, overlap. */
    static final CountDownLatch BOTH_RUNNING = new CountDownLatch(1);

    /** The product candidate, trained once both rounds are up. */
    static final class OverlappingTrainer implements CandidateTrainer {
        private static final long serialVersionUID = 1L;

        @Override
        public void train(Round round, Path out) throws Exception {
            assertThat(BOTH_RUNNING.await(2, TimeUnit.MINUTES)).isTrue();
            new BiLstmTrainer().train(round, out);
        }
    }

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(4);

    @TempDir Path work;

    @Test
    void twoRoundsAtOnceNeitherFencesTheOtherNorPublishesUnjudged(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        List<SensorReading> readings =
                CsvReadings.read(TestModels.nab("realKnownCause", SENSOR), SENSOR).subList(0, 1200);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config =
                    KafkaJobs.config(kafka, work.resolve("store"), WINDOW, "concurrent-retrain-it");
            config.set(RetrainOptions.WINDOW, WINDOW);
            config.set(RetrainOptions.MIN_READINGS, 600);
            config.set(RetrainOptions.HIDDEN_SIZE, 8);
            config.set(RetrainOptions.EPOCHS, 2);
            config.set(RetrainOptions.COLD_START_GATE, false);
            KafkaJobs.replay(kafka, readings, 2);
            Configuration flink = new Configuration();
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            flink.set(CoreOptions.DEFAULT_PARALLELISM, 2);

            List<CompletableFuture<Integer>> rounds = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                rounds.add(
                        CompletableFuture.supplyAsync(
                                () -> {
                                    try {
                                        return RetrainJob.run(
                                                config, flink, new OverlappingTrainer(), r -> true);
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                }));
            }
            KafkaJobs.await(
                    "both rounds running", Duration.ofSeconds(120), () -> running(client) == 2);
            BOTH_RUNNING.countDown();
            for (CompletableFuture<Integer> r : rounds) {
                assertThat(r.get(4, TimeUnit.MINUTES)).isEqualTo(1); // no round failed
            }

            List<RetrainReport> reports = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    Topics.readCommitted(
                            kafka.bootstrapServers(),
                            "sensorcast.retrain-reports",
                            2,
                            Duration.ofSeconds(60))) {
                reports.add(JsonFormats.mapper().readValue(r.value(), RetrainReport.class));
            }
            assertThat(reports).hasSize(2);
            assertThat(reports)
                    .noneSatisfy(r -> assertThat(r.decision()).isEqualTo(RetrainReport.FAILED));
            ModelStore store = ModelStoreOptions.store(config);
            List<Long> versions =
                    store.list(SENSOR).valid().stream().map(ModelStore.Version::version).toList();
            List<RetrainReport> promoted =
                    reports.stream()
                            .filter(r -> r.decision().equals(RetrainReport.PROMOTED))
                            .toList();
            assertThat(versions).hasSize(promoted.size());
            for (RetrainReport p : promoted) {
                assertThat(p.currentVersion()).as(p.reason()).isEqualTo(p.version() - 1);
            }
            // both judged against "no model": only one of them may have published
            assertThat(promoted).as(reports.toString()).hasSize(1);
            assertThat(reports)
                    .filteredOn(r -> !r.decision().equals(RetrainReport.PROMOTED))
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason()).startsWith("superseded: "));
        }
    }

    private static long running(ClusterClient<?> client) {
        try {
            return client.listJobs().get().stream()
                    .map(JobStatusMessage::getJobState)
                    .filter(s -> s == JobStatus.RUNNING)
                    .count();
        } catch (Exception e) {
            return -1;
        }
    }
}
