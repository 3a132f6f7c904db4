package io.sensorcast.cli;

import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.CsvReadings;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.connectors.serde.JsonFormats;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabProfile;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.ForecastOptions;
import io.sensorcast.pipeline.job.RetrainJob;
import io.sensorcast.pipeline.retrain.BiLstmTrainer;
import io.sensorcast.pipeline.retrain.RetrainOptions;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sensorcast nab}: the NAB corpus through the live pipeline, with online retraining, into
 * NAB results files; then NAB's score.
 */
@Command(
        name = "nab",
        mixinStandardHelpOptions = true,
        description = {
            "Stream every NAB file (one sensor each) through Kafka into ForecastJob with online"
                    + " retraining, and write NAB results files"
                    + " <out>/<detector>/<category>/<detector>_<file>.csv (timestamp, value,"
                    + " anomaly_score, label; one row per input row). Models only ever see data"
                    + " already replayed: persistence forecasts serve until a sensor's first model,"
                    + " which is trained after --first-model-after readings and retrained every"
                    + " --retrain-every readings, as a live deployment would schedule it (no use"
                    + " of a file's length). Files go one after another, each"
                    + " on a clock moved to start after the previous file (intervals unchanged)."
                    + " The anomaly_score written is the alert score (the score at the onset of"
                    + " an excursion, else 0), the same that flags anomalies in the job."
        })
final class NabCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin NabData nab = new NabData();

    @Option(
            names = "--serving-engine",
            defaultValue = "AUTO",
            description =
                    "auto, onnxruntime or pytorch (sensorcast.models.serving-engine; default:"
                            + " ${DEFAULT-VALUE}).")
    ServingEngine engine;

    @Option(
            names = "--out",
            defaultValue = "nab-results",
            paramLabel = "DIR",
            description = "Results root (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--detector",
            defaultValue = "sensorcast",
            description = "Detector name in the results (default: ${DEFAULT-VALUE}).")
    String detector;

    @Option(
            names = "--first-model-after",
            defaultValue = "500",
            paramLabel = "N",
            description =
                    "Readings of a sensor before its first model (default: ${DEFAULT-VALUE}).")
    int firstModelAfter;

    @Option(
            names = "--retrain-every",
            defaultValue = "3000",
            paramLabel = "N",
            description = "Readings between retraining rounds (default: ${DEFAULT-VALUE}).")
    int retrainEvery;

    @Option(
            names = "--epochs",
            defaultValue = "3",
            description = "Training epochs per round (default: ${DEFAULT-VALUE}).")
    int epochs;

    /** A file as replayed: its sensor, the clock shift applied, its rows in file order. */
    private record Replayed(Path file, String sensor, long shift, List<SensorReading> rows) {}

    private final Map<String, Map<Long, Double>> scores = new ConcurrentHashMap<>();
    private final AtomicLong lastScore = new AtomicLong(System.nanoTime());

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Map<String, List<NabScorer.Window>> windows = nab.windows();
        List<Path> files = nab.files();
        if (firstModelAfter < 2 || retrainEvery < 1) {
            throw new IllegalArgumentException(
                    "--first-model-after must be >= 2 and --retrain-every >= 1, got "
                            + firstModelAfter
                            + " and "
                            + retrainEvery);
        }
        Path models = Files.createTempDirectory("sensorcast-nab-models");
        long began = System.nanoTime();
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config = new Configuration();
            config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            config.set(KafkaOptions.STARTING_OFFSETS, "earliest");
            config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "nab");
            config.set(ModelStoreOptions.ROOT, models.toString());
            config.set(ForecastOptions.WINDOW, 48);
            config.set(ForecastOptions.SERVING_ENGINE, engine);
            // NAB files are in time order: a reading is released as soon as the next arrives
            config.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ZERO);
            config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
            config.set(RetrainOptions.WINDOW, 48);
            config.set(RetrainOptions.EPOCHS, epochs);
            config.set(RetrainOptions.MIN_READINGS, 250);
            config.set(RetrainOptions.MAX_READINGS, 3000);
            config.set(RetrainOptions.COLD_START_GATE, false);
            Properties client = new Properties();
            client.setProperty("bootstrap.servers", kafka.bootstrapServers());
            Replayer replayer = new Replayer(client);
            replayer.ensureTopic("sensorcast.readings", 2);

            Configuration flink = new Configuration();
            flink.set(CoreOptions.DEFAULT_PARALLELISM, 2);
            JobOptions.localCheckpoints(flink, models.resolve("checkpoints"));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.enableCheckpointing(1000);
            ForecastJob.fromKafka(env, config, false);
            JobClient job = env.executeAsync("sensorcast-nab");
            Thread collector = new Thread(() -> collect(kafka.bootstrapServers()), "nab-collect");
            collector.setDaemon(true);
            collector.start();
            Configuration retrainFlink = new Configuration();
            retrainFlink.set(CoreOptions.DEFAULT_PARALLELISM, 1);

            long clock = 0;
            List<Replayed> replayed = new ArrayList<>();
            for (int k = 0; k < files.size(); k++) {
                Path file = files.get(k);
                String sensor = CsvReadings.sensorFromFilename(file);
                List<SensorReading> rows = CsvReadings.read(file, sensor);
                if (k == 0) {
                    clock = rows.get(0).timestamp;
                }
                long shift = clock - rows.get(0).timestamp;
                List<SensorReading> moved = new ArrayList<>(rows.size());
                for (SensorReading r : rows) {
                    moved.add(SensorReading.of(sensor, r.timestamp + shift, r.values[0]));
                }
                int from = 0;
                List<Integer> cuts = new ArrayList<>();
                for (int c = firstModelAfter; c < rows.size(); c += retrainEvery) {
                    cuts.add(c);
                }
                cuts.add(rows.size());
                for (int cut : cuts) {
                    replayer.replay(
                            moved.subList(from, cut),
                            "sensorcast.readings",
                            new Pacing.Max(),
                            (a, b, c) -> {});
                    from = cut;
                    awaitQuiet(Duration.ofSeconds(3), Duration.ofSeconds(60));
                    if (cut < rows.size()) {
                        Configuration round = new Configuration(config);
                        round.set(RetrainOptions.FROM, Instant.ofEpochMilli(clock).toString());
                        RetrainJob.run(round, retrainFlink, new BiLstmTrainer(), r -> true);
                    }
                }
                replayed.add(new Replayed(file, sensor, shift, rows));
                clock = moved.get(moved.size() - 1).timestamp + 86_400_000L;
                o.printf(
                        Locale.ROOT,
                        "[%4ds] %2d/%d %s: %d rows, %d scored%n",
                        (System.nanoTime() - began) / 1_000_000_000L,
                        k + 1,
                        files.size(),
                        sensor,
                        rows.size(),
                        scores.getOrDefault(sensor, Map.of()).size());
                o.flush();
            }
            awaitQuiet(Duration.ofSeconds(3), Duration.ofSeconds(60));
            job.cancel().get();
            for (Replayed r : replayed) {
                write(r, windows);
            }
        } finally {
            TempDirs.deleteQuietly(models);
        }
        Path results = out.resolve(detector);
        List<NabScorer.DataFile> corpus = NabCorpus.results(results, windows);
        o.printf(
                Locale.ROOT,
                "results in %s (%d files, %.1f min); NAB scores:%n",
                results,
                corpus.size(),
                (System.nanoTime() - began) / 60e9);
        for (NabProfile p :
                NabProfile.read(Defaults.dataDir().resolve("nab/profiles.json")).values()) {
            NabScorer.Result r = new NabScorer(p).score(corpus);
            o.printf(
                    Locale.ROOT,
                    "  %-20s %6.1f (threshold %.4f)%n",
                    p.name(),
                    r.normalized(),
                    r.threshold());
        }
        return 0;
    }

    private void write(Replayed replayed, Map<String, List<NabScorer.Window>> windows)
            throws IOException {
        String name = nab.name(replayed.file());
        Map<Long, Double> byTarget = scores.getOrDefault(replayed.sensor(), Map.of());
        List<SensorReading> rows = replayed.rows();
        List<LocalDateTime> times = new ArrayList<>(rows.size());
        double[] values = new double[rows.size()];
        double[] alerts = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            SensorReading r = rows.get(i);
            times.add(LocalDateTime.ofEpochSecond(r.timestamp / 1000, 0, ZoneOffset.UTC));
            values[i] = r.values[0];
            alerts[i] = byTarget.getOrDefault(r.timestamp + replayed.shift(), 0.0);
        }
        NabCorpus.writeResults(
                out, detector, name, times, values, alerts, windows.getOrDefault(name, List.of()));
    }

    private void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long start = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long last = Math.max(lastScore.get(), start);
            if (System.nanoTime() - last > quiet.toNanos()) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private void collect(String servers) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", servers);
        props.setProperty("group.id", "sensorcast-nab");
        props.setProperty("auto.offset.reset", "earliest");
        props.setProperty("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("sensorcast.scores"));
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ScoreRecord s = JsonFormats.mapper().readValue(r.value(), ScoreRecord.class);
                    scores.computeIfAbsent(s.sensor(), k -> new ConcurrentHashMap<>())
                            .put(Instant.parse(s.targetTs()).toEpochMilli(), s.alertScore());
                    lastScore.set(System.nanoTime());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the broker went away at the end
        }
    }
}
