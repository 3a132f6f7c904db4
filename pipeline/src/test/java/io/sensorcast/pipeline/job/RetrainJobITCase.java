package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.serde.JsonFormats;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.connectors.testutils.Topics;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.retrain.BiLstmTrainer;
import io.sensorcast.pipeline.retrain.CandidateTrainer;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.retrain.RetrainSettings;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.StateBackends;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * RetrainJob beside a running ForecastJob: first models for three sensors with no human step,
 * picked up without a restart; a worse candidate rejected while v1 serves; a better one promoted
 * and served.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RetrainJobITCase {

    private static final int WINDOW = 24;
    private static final String[][] FILES = {
        {"realKnownCause", "ec2_request_latency_system_failure"},
        {"artificialWithAnomaly", "art_load_balancer_spikes"},
        {"artificialWithAnomaly", "art_increase_spike_density"},
    };

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(4);

    @TempDir Path work;

    /** One epoch on the values in random order: a candidate that has learnt nothing real. */
    static final class ShuffledTargetsTrainer implements CandidateTrainer {
        private static final long serialVersionUID = 1L;

        @Override
        public void train(Round round, Path out) throws Exception {
            TimeSeriesTable table = round.table();
            RetrainSettings s = round.settings();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < table.rows(); i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, new Random(1));
            double[][] values = new double[table.columns().size()][table.rows()];
            List<String> times = new ArrayList<>();
            for (int i = 0; i < table.rows(); i++) {
                times.add(table.timestamp(i));
                for (int c = 0; c < values.length; c++) {
                    values[c][i] = table.value(c, order.get(i));
                }
            }
            RetrainSettings oneEpoch =
                    new RetrainSettings(
                            s.window(),
                            s.hiddenSize(),
                            s.layers(),
                            1,
                            s.season(),
                            s.maxReadings(),
                            s.minReadings(),
                            s.holdout(),
                            s.validation(),
                            s.margin(),
                            s.maxGapFraction(),
                            s.coldStartGate(),
                            s.fineTune(),
                            s.channels(),
                            s.intraOpThreads());
            new BiLstmTrainer()
                    .train(
                            new Round(
                                    new TimeSeriesTable(times, table.columns(), values),
                                    round.source(),
                                    round.split(),
                                    oneEpoch,
                                    null), // from scratch: nothing of the model in service
                            out);
        }
    }

    @Test
    void firstModelsArePromotedAndServedAWorseOneIsRejectedABetterOneTakesOver() throws Exception {
        List<List<SensorReading>> series = TestModels.fleet(FILES, Integer.MAX_VALUE);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config =
                    KafkaJobs.config(kafka, work.resolve("store"), WINDOW, "retrain-it");
            config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
            config.set(RetrainOptions.WINDOW, WINDOW);
            config.set(RetrainOptions.MIN_READINGS, 600);
            config.set(RetrainOptions.HIDDEN_SIZE, 8);
            config.set(RetrainOptions.EPOCHS, 2);
            KafkaJobs.replay(kafka, slice(series, 0, 1200), 2);

            // both jobs on RocksDB: the heap backend is what the other ITCases run on
            Configuration flink =
                    StateBackends.ROCKSDB.configure(
                            new Configuration(), work.resolve("checkpoints"));
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.setParallelism(2);
            env.enableCheckpointing(300);
            ForecastJob.fromKafka(env, config, false);
            JobClient forecastJob = env.executeAsync("forecast-beside-retrain");
            // the forecast job holds two of the four slots
            Configuration retrainFlink = new Configuration(flink);
            retrainFlink.set(CoreOptions.DEFAULT_PARALLELISM, 2);
            try {
                // round 1: cold start, a first model per sensor
                Map<String, RetrainReport> round1 =
                        round(kafka, config, retrainFlink, new BiLstmTrainer(), 3);
                assertThat(round1.values())
                        .allSatisfy(
                                r -> {
                                    assertThat(r.decision()).as(r.reason()).isEqualTo("PROMOTED");
                                    assertThat(r.version()).isEqualTo(1);
                                    assertThat(r.readings())
                                            .isBetween(1180, 1200); // repeats dropped
                                });
                KafkaJobs.replay(kafka, slice(series, 1200, 1800), 2);
                KafkaJobs.await(
                        "forecasts by v1 for every sensor",
                        Duration.ofSeconds(90),
                        () -> versionsBySensor(kafka).keySet().size() == FILES.length);

                // round 2: a candidate that learnt nothing is rejected; v1 keeps serving
                Map<String, RetrainReport> round2 =
                        round(kafka, config, retrainFlink, new ShuffledTargetsTrainer(), 6);
                assertThat(round2.values())
                        .allSatisfy(
                                r -> {
                                    assertThat(r.decision()).as(r.reason()).isEqualTo("REJECTED");
                                    assertThat(r.currentVersion()).isEqualTo(1);
                                    assertThat(r.candidateError()).isGreaterThan(r.currentError());
                                });
                ModelStore store = ModelStoreOptions.store(config);
                for (String[] f : FILES) {
                    assertThat(store.list(f[1]).newest().version()).isEqualTo(1);
                }

                // round 3: a stronger candidate on more data beats v1 and takes over
                config.set(RetrainOptions.HIDDEN_SIZE, 16);
                config.set(RetrainOptions.EPOCHS, 10);
                Map<String, RetrainReport> round3 =
                        round(kafka, config, retrainFlink, new BiLstmTrainer(), 9);
                List<String> promoted =
                        round3.values().stream()
                                .filter(r -> r.decision().equals("PROMOTED"))
                                .map(RetrainReport::group)
                                .toList();
                assertThat(promoted).as(round3.toString()).isNotEmpty();
                KafkaJobs.replay(kafka, slice(series, 1800, 2400), 2);
                KafkaJobs.await(
                        "forecasts by v2",
                        Duration.ofSeconds(90),
                        () ->
                                promoted.stream()
                                        .allMatch(
                                                g -> versionsBySensor(kafka).get(g).contains(2L)));

                // periodic mode, two rounds, each reading only up to a record time
                String to =
                        java.time.Instant.ofEpochMilli(series.get(0).get(1500).timestamp)
                                .toString();
                config.set(RetrainOptions.MODE, RetrainOptions.Mode.PERIODIC);
                config.set(RetrainOptions.INTERVAL, Duration.ofSeconds(1));
                config.set(RetrainOptions.TO, to);
                config.set(RetrainOptions.EPOCHS, 1);
                assertThat(RetrainJob.run(config, retrainFlink, new BiLstmTrainer(), r -> r >= 2))
                        .isEqualTo(2);
                List<ConsumerRecord<byte[], byte[]>> all =
                        Topics.readCommitted(
                                kafka.bootstrapServers(),
                                "sensorcast.retrain-reports",
                                15,
                                Duration.ofSeconds(30));
                assertThat(all).hasSize(15);
                for (ConsumerRecord<byte[], byte[]> r : all.subList(9, 15)) {
                    RetrainReport report =
                            JsonFormats.mapper().readValue(r.value(), RetrainReport.class);
                    assertThat(report.readings()).isBetween(1480, 1500);
                    assertThat(java.time.Instant.parse(report.dataTo()))
                            .isBefore(java.time.Instant.parse(to));
                }
            } finally {
                forecastJob.cancel().get();
            }
            // per sensor, versions only move forward in event time
            for (List<Long> versions : orderedVersions(kafka).values()) {
                assertThat(versions).isSorted();
            }
        }
    }

    private Map<String, RetrainReport> round(
            EmbeddedKafkaBroker kafka,
            Configuration config,
            Configuration flink,
            CandidateTrainer trainer,
            int reportsSoFar)
            throws Exception {
        RetrainJob.run(config, flink, trainer, rounds -> true);
        List<ConsumerRecord<byte[], byte[]>> all =
                Topics.readCommitted(
                        kafka.bootstrapServers(),
                        "sensorcast.retrain-reports",
                        reportsSoFar,
                        Duration.ofSeconds(30));
        assertThat(all).hasSize(reportsSoFar);
        Map<String, RetrainReport> latest = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r :
                all.subList(reportsSoFar - FILES.length, reportsSoFar)) {
            RetrainReport report = JsonFormats.mapper().readValue(r.value(), RetrainReport.class);
            latest.put(report.group(), report);
        }
        assertThat(latest).hasSize(FILES.length);
        return latest;
    }

    private static Map<String, List<Long>> versionsBySensor(EmbeddedKafkaBroker kafka) {
        return orderedVersions(kafka);
    }

    private static Map<String, List<Long>> orderedVersions(EmbeddedKafkaBroker kafka) {
        return KafkaJobs.forecasts(kafka, Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                .sorted(Comparator.comparing(ForecastRecord::originTs))
                .collect(
                        Collectors.groupingBy(
                                ForecastRecord::sensor,
                                TreeMap::new,
                                Collectors.mapping(
                                        ForecastRecord::modelVersion, Collectors.toList())));
    }

    /** Rows [from, to) of every series, merged in event-time order. */
    private static List<SensorReading> slice(List<List<SensorReading>> series, int from, int to) {
        List<List<SensorReading>> parts = new ArrayList<>();
        for (List<SensorReading> s : series) {
            parts.add(s.subList(from, Math.min(to, s.size())));
        }
        return CsvReadings.merge(parts);
    }
}
