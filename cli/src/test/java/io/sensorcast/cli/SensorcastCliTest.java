package io.sensorcast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.pipeline.config.OptionChecks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SensorcastCliTest {

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return SensorcastCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** A seconds-long training run of a tiny model on the first 500 rows of {@code csv}. */
    static String[] smallTraining(Path csv, String target, Path out) {
        return new String[] {
            "train",
            "--csv",
            csv.toString(),
            "--target",
            target,
            "--window",
            "12",
            "--split",
            "300,400,500",
            "--hidden",
            "4",
            "--epochs",
            "1",
            "--threads",
            "1",
            "--season",
            "12",
            "--out",
            out.toString()
        };
    }

    /** The bundled ETTh2 file; the tests train on its first rows only (see --split). */
    private static Path csv() {
        return data("ett", "ETTh2.csv");
    }

    /** A path under the bundled data directory ({@code data/} of the project). */
    static Path data(String first, String... more) {
        return Paths.get(System.getProperty("sensorcast.data.dir", "../data"), first)
                .resolve(Paths.get("", more));
    }

    @Test
    void versionNamesTheBuildAndWhatItRunsOn() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString())
                .startsWith("sensorcast ")
                .doesNotContain("development build")
                .contains("Flink 2.", "Kafka 4.", "DJL 0.", "Java ")
                .containsPattern("\\(commit [0-9a-f]{7,}(-dirty)?\\)");
    }

    @Test
    void aBadMetricsPortFailsBeforeTheDemoStarts() {
        assertThat(run("demo", "--metrics-port", "70000")).isNotZero();
        assertThat(err.toString())
                .contains(
                        "--metrics-port must be 0 (none), a port or a range like 9249-9269 of ports"
                                + " in [1, 65535], got '70000'");
        OptionChecks.portRange("--metrics-port", "0");
        OptionChecks.portRange("--metrics-port", "9249-9269");
    }

    @Test
    void topicsAreCheckedThenCreated() {
        try (var kafka = io.sensorcast.connectors.kafka.EmbeddedKafkaBroker.start()) {
            assertThat(run("topics", "--bootstrap", kafka.bootstrapServers())).isEqualTo(1);
            assertThat(out.toString()).contains("missing topics on " + kafka.bootstrapServers());
            out.getBuffer().setLength(0);
            assertThat(
                            run(
                                    "topics",
                                    "create",
                                    "--partitions",
                                    "2",
                                    "--bootstrap",
                                    kafka.bootstrapServers()))
                    .isZero();
            assertThat(out.toString())
                    .containsPattern("sensorcast\\.readings +created +2")
                    .containsPattern("sensorcast\\.model-updates +created +1  compact");
            out.getBuffer().setLength(0);
            assertThat(run("topics", "check", "--bootstrap", kafka.bootstrapServers())).isZero();
            assertThat(out.toString()).doesNotContain("missing").contains("exists");
        }
    }

    @Test
    void trainsThenEvaluatesOnTheBundledEtth2Data() throws Exception {
        Path model = dir.resolve("model");
        int trained =
                run(
                        "train",
                        "--csv",
                        csv().toString(),
                        "--target",
                        "OT",
                        "--features",
                        "HUFL",
                        "--window",
                        "24",
                        "--horizon",
                        "6",
                        "--split",
                        "720,960,1200",
                        "--hidden",
                        "8",
                        "--epochs",
                        "2",
                        "--threads",
                        "1",
                        "--out",
                        model.toString());
        assertThat(trained).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("epoch   1/2")
                .contains("training time")
                .contains("seasonal-naive(24)")
                .contains("saved model to");
        assertThat(model.resolve("model.params")).isRegularFile();
        assertThat(Files.readString(model.resolve("manifest.json"))).contains("\"HUFL\"");

        out.getBuffer().setLength(0);
        int evaluated = run("evaluate", "--model", model.toString(), "--csv", csv().toString());
        assertThat(evaluated).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("test rows [960, 1200)")
                .containsPattern("(?m)^model\\s+\\d")
                .containsPattern("(?m)^persistence\\s+\\d")
                .containsPattern("(?m)^seasonal-naive\\(24\\)\\s+\\d")
                .containsPattern("(?m)^linear\\s+\\d")
                .containsPattern("model MSE / best baseline's: \\d\\.\\d{3}")
                .containsPattern("(?m)^model, online +80%  coverage +\\d+\\.\\d%")
                .containsPattern("(?m)^persistence quantiles +95%  coverage +\\d+\\.\\d%")
                .contains("training time");

        err.getBuffer().setLength(0);
        int refused =
                run(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--csv",
                        csv().toString(),
                        "--interval-levels",
                        "0.8,1.5");
        assertThat(refused).isNotZero();
        assertThat(err.toString()).contains("--interval-levels").contains("(0, 1)");
    }

    @Test
    void badConfigurationFailsFastNamingTheKeyAndRange() throws Exception {
        int code =
                run(
                        "train",
                        "--csv",
                        csv().toString(),
                        "--target",
                        "OT",
                        "--window",
                        "0",
                        "--out",
                        dir.resolve("m").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("window must be in [1, 100000], got 0");
        assertThat(dir.resolve("m")).doesNotExist();
    }

    @Test
    void benchStateFlagsAreCheckedBeforeAnythingRuns() {
        assertThat(run("bench-state", "--state-backend", "hashmap,leveldb")).isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "--state-backend must be hashmap, rocksdb or rocksdb-full, got 'leveldb'");
        assertThat(run("bench-state", "--managed-memory", "lots")).isEqualTo(2);
        assertThat(err.toString()).contains("--managed-memory must be a memory size");
        assertThat(run("bench-state", "--sensors", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--sensors and --forecasts-per-sensor must be >= 1");
        assertThat(out.toString()).doesNotContain("readings on Kafka");
    }

    @Test
    void nabDetectorOptionsAreCheckedBeforeAnythingRuns() {
        assertThat(run("nab-ablation", "-D", "sensorcast.scoring.tail-scal=6")).isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "unknown option sensorcast.scoring.tail-scal (did you mean"
                                + " sensorcast.scoring.tail-scale?)");
        assertThat(run("nab-ablation", "-D", "sensorcast.scoring.tail-scale=0")).isEqualTo(2);
        assertThat(err.toString())
                .contains("sensorcast.scoring.tail-scale must be in [0.01, 1000.0], got 0.0");
        assertThat(run("nab-ablation", "-D", "sensorcast.forecast.history=12")).isEqualTo(2);
        assertThat(err.toString())
                .contains("sensorcast.forecast.history: nab-ablation takes detector options");
        // the live run refuses it before its broker and cluster start
        assertThat(run("nab", "-D", "sensorcast.scoring.refractory-period=400d")).isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "sensorcast.scoring.refractory-period must be in [0 ms, 366 d], got 400"
                                + " d");
        assertThat(run("nab-ablation", "--table", "everything")).isEqualTo(2);
        assertThat(err.toString()).contains("--table").contains("ABLATION, ROBUSTNESS, SYNTHETIC");
        // a key that counted readings is refused, naming the duration that replaced it
        assertThat(run("nab-ablation", "-D", "sensorcast.scoring.refractory=300")).isEqualTo(2);
        assertThat(err.toString())
                .contains("sensorcast.scoring.refractory counted readings and is gone")
                .contains("set sensorcast.scoring.refractory-period instead");
        assertThat(this.out.toString()).doesNotContain("results in");
    }

    @Test
    void aSeasonLongerThanTheWindowFailsBeforeTraining() {
        int code =
                run(
                        "train",
                        "--csv",
                        csv().toString(),
                        "--target",
                        "OT",
                        "--window",
                        "12",
                        "--season",
                        "24",
                        "--out",
                        dir.resolve("m").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("season period must be in [1, 12] (at most the window), got 24");
        assertThat(out.toString()).doesNotContain("epoch");
    }

    @Test
    void unknownColumnIsNamed() throws Exception {
        int code =
                run(
                        "train",
                        "--csv",
                        csv().toString(),
                        "--target",
                        "XYZ",
                        "--out",
                        dir.resolve("m").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("no column 'XYZ'; columns are HUFL, HULL, MUFL, MULL, LUFL, LULL, OT");
    }

    @Test
    void refusesACorruptModel() throws Exception {
        Path model = dir.resolve("broken");
        Files.createDirectories(model);
        Files.writeString(model.resolve("manifest.json"), "{}");
        int code = run("evaluate", "--model", model.toString(), "--csv", csv().toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("SHA256SUMS: missing");
    }

    @Test
    void replaysSeveralNabFilesIntoARealBroker() {
        Path nab = data("nab", "data", "realKnownCause");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            int code =
                    run(
                            "replay",
                            "--csv",
                            nab.resolve("ec2_request_latency_system_failure.csv").toString(),
                            nab.resolve("rogue_agent_key_hold.csv").toString(),
                            "--bootstrap",
                            kafka.bootstrapServers(),
                            "--topic",
                            "cli-replay",
                            "--max");
            assertThat(code).as(err.toString()).isZero();
            // 4032 + 1882 rows
            assertThat(out.toString())
                    .contains("replaying 5914 readings of 2 sensor(s) to cli-replay")
                    .containsPattern("sent 5914 records in [0-9.]+ s: [0-9]+ records/s");
            assertThat(err.toString()).contains("100% 5914/5914");
        }
    }

    @Test
    void publishesAModelToTheStoreAndTellsTheModelUpdatesTopic() throws Exception {
        Path model = dir.resolve("model");
        assertThat(run(smallTraining(csv(), "OT", model))).as(err.toString()).isZero();
        Path store = dir.resolve("store");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            for (int i = 0; i < 2; i++) {
                int code =
                        run(
                                "publish-model",
                                "--model",
                                model.toString(),
                                "--group",
                                "etth2",
                                "--store",
                                store.toString(),
                                "--bootstrap",
                                kafka.bootstrapServers());
                assertThat(code).as(err.toString()).isZero();
            }
            assertThat(out.toString())
                    .contains("published etth2 version 1 at file:")
                    .contains("published etth2 version 2 at file:");
            assertThat(store.resolve("etth2/2/manifest.json")).exists();
            var updates =
                    io.sensorcast.connectors.testutils.Topics.readCommitted(
                            kafka.bootstrapServers(),
                            "sensorcast.model-updates",
                            2,
                            java.time.Duration.ofSeconds(30));
            assertThat(updates).hasSize(2);
            var last = io.sensorcast.connectors.format.ModelUpdate.parse(updates.get(1).value());
            assertThat(last.group()).isEqualTo("etth2");
            assertThat(last.version()).isEqualTo(2);
            assertThat(last.publisher()).isEqualTo("publish-model");
        }
        // a corrupt artifact is refused and nothing is published
        Files.writeString(model.resolve("manifest.json"), "{}");
        assertThat(
                        run(
                                "publish-model",
                                "--model",
                                model.toString(),
                                "--group",
                                "etth2",
                                "--store",
                                store.toString(),
                                "--no-notify"))
                .isEqualTo(2);
        assertThat(store.resolve("etth2/3")).doesNotExist();
    }

    /** The README's main command, shortened: one sensor, 15 s of replay. */
    @Test
    void theDemoRunsThePipelineAndWritesTheReport() throws Exception {
        Path ec2 = data("nab", "data", "realKnownCause", "ec2_request_latency_system_failure.csv");
        Path report = dir.resolve("report");
        int code =
                run(
                        "demo",
                        "--csv",
                        ec2.toString(),
                        "--duration",
                        "15s",
                        "--retrain-every",
                        "4s",
                        "--wait-limit",
                        "10min",
                        "--report",
                        report.toString(),
                        "--parallelism",
                        "1");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .containsPattern("[1-9][0-9]* forecasts, [0-9]+ anomalies, [1-9][0-9]* retraining");
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html).contains("<svg").contains("PROMOTED").contains("labelled anomaly window");
    }

    /** One NAB file through the live pipeline: NAB's results format, one row per input row. */
    @Test
    void nabWritesOneResultRowPerInputRow() throws Exception {
        Path nab = data("nab");
        Path data = dir.resolve("nab-data/realKnownCause");
        Files.createDirectories(data);
        Path source = nab.resolve("data/realKnownCause/rogue_agent_key_hold.csv");
        Files.copy(source, data.resolve("rogue_agent_key_hold.csv"));
        Path results = dir.resolve("results");
        int code =
                run(
                        "nab",
                        "--data",
                        dir.resolve("nab-data").toString(),
                        "--labels",
                        nab.resolve("labels/combined_windows.json").toString(),
                        "--out",
                        results.toString(),
                        "--first-model-after",
                        "500",
                        "--retrain-every",
                        "1500",
                        "--epochs",
                        "1");
        assertThat(code).as(err.toString()).isZero();
        java.util.List<String> in = Files.readAllLines(source);
        java.util.List<String> out =
                Files.readAllLines(
                        results.resolve(
                                "sensorcast/realKnownCause/sensorcast_rogue_agent_key_hold.csv"));
        assertThat(out.get(0)).isEqualTo("timestamp,value,anomaly_score,label");
        assertThat(out).hasSameSizeAs(in);
        int unscored = 2; // a forecast from the second reading on scores every later one
        long scored = 0;
        long alarms = 0;
        long labelled = 0;
        for (int i = 1; i < out.size(); i++) {
            String[] cells = out.get(i).split(",");
            assertThat(cells[0]).isEqualTo(in.get(i).split(",")[0]);
            double score = Double.parseDouble(cells[2]);
            assertThat(score).isBetween(0.0, 1.0);
            if (i <= unscored) {
                assertThat(score).as("row %d: no forecast for it yet", i).isZero();
            }
            scored += score > 0 ? 1 : 0;
            alarms += score >= 0.5 ? 1 : 0; // the default threshold
            labelled += cells[3].equals("1") ? 1 : 0;
        }
        // alert scores mark onsets only; alarms are at least the refractory 300 readings apart
        assertThat(scored).isPositive().isLessThan(out.size() / 4);
        assertThat(alarms).isLessThanOrEqualTo(1 + out.size() / 301);
        assertThat(labelled).isGreaterThan(0);
        // in arrival order the last reading is scored too: it needs no watermark after it
        int rows = in.size() - 1;
        assertThat(this.out.toString())
                .contains("standard")
                .contains(rows + " rows, " + (rows - unscored) + " scored");

        // the forecasts it scored against, replayed by the ablation driver: the same three scores
        java.util.List<String> scores = new java.util.ArrayList<>();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(standard|reward_low_F[PN]_rate) +(-?[0-9.]+)")
                        .matcher(this.out.toString());
        while (m.find()) {
            scores.add(m.group(2));
        }
        assertThat(scores).hasSize(3);
        this.out.getBuffer().setLength(0);
        code =
                run(
                        "nab-ablation",
                        "--data",
                        dir.resolve("nab-data").toString(),
                        "--labels",
                        nab.resolve("labels/combined_windows.json").toString(),
                        "--forecasts",
                        results.resolve("sensorcast-forecasts").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(this.out.toString())
                .containsPattern(
                        "recorded +full detector +"
                                + String.join(" +", scores).replace(".", "\\.")
                                + "\\n");
    }

    @Test
    void benchRunsThePipelineAloneAndWithTheModelAndPrintsTheirRatios() {
        // a small fleet: what is checked is that every run completes, not how fast
        int code = smallBench(20, "--latency-load", "0.5", "--latency-warm-up-passes", "2");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("20 sensors, 620 readings on Kafka")
                .contains("parallelism 1, checkpoints every 1000 ms")
                .contains("persistence forecaster")
                .contains("warm-up run (the BiLSTM, not counted)")
                .contains("400 forecasts (400 by persistence) in") // the pipeline alone
                .contains("us CPU a forecast")
                .contains("ratio BiLSTM job / bare model")
                .contains("Readings fed while the job runs (the BiLSTM):")
                .contains("with readings fed live, as fast as the job keeps up, in passes")
                .contains("ratio BiLSTM job fed live / bare model")
                .contains("of that maximum), in passes of the fleet's readings:")
                .containsPattern(
                        "warm-up pass 1: JIT \\d+% of the CPU; reading->forecast p50 \\d+ ms,"
                                + " p99 \\d+ ms")
                // after at most two warm-up passes, latency over the last 90% of a pass: the
                // 620 forecasts of its 620 readings (each pass's newest ones wait for the next)
                .containsPattern(
                        "measured pass [23]: \\d+ forecasts/s, JIT \\d+% of the CPU;"
                                + " reading->forecast p50 \\d+ ms, p99 \\d+ ms \\(last 558"
                                + " forecasts\\); \\d+ us CPU a forecast, [0-9.]+ of \\d+ cores"
                                + " busy")
                .doesNotContain("WARNING");
    }

    @Test
    void benchOptionsOutOfRangeFailBeforeAnythingStarts() {
        assertThat(smallBench(2, "--latency-warm-up-passes", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--latency-warm-up-passes must be in [1, 100], got 0");
        assertThat(out.toString()).doesNotContain("readings on Kafka");
    }

    /**
     * The bench trains its model with the job's options: without seasonal channels the job's
     * windows have one column, and so must the model, or persistence makes every forecast.
     */
    @Test
    void benchTrainsItsModelWithTheJobsOptions() {
        int code =
                smallBench(
                        10,
                        "--latency-load",
                        "0",
                        "-D",
                        "sensorcast.forecast.seasonal-lookback=0",
                        "-D",
                        "execution.checkpointing.interval=2s");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("checkpoints every 2000 ms") // a Flink option reaches the job too
                .contains("200 forecasts (200 by persistence) in") // the pipeline alone
                .contains("ratio BiLSTM job / bare model")
                .doesNotContain("WARNING");
    }

    /** {@code bench} on {@code sensors} sensors, 20 forecasts each, a tiny model, one subtask. */
    private int smallBench(int sensors, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "bench",
                                "--sensors",
                                Integer.toString(sensors),
                                "--forecasts-per-sensor",
                                "20",
                                "--window",
                                "12",
                                "--hidden",
                                "4",
                                "--model-seconds",
                                "0.2",
                                "--parallelism",
                                "1"));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }

    @Test
    void replayRefusesAnUnknownPacing() throws Exception {
        assertThat(run("replay", "--csv", csv().toString(), "--speed", "fast")).isEqualTo(2);
        assertThat(err.toString()).contains("pacing must be <factor>x");
    }

    @Test
    void clusterCommandsWithoutAClusterSayWhereTheyLooked() {
        assertThat(run("cluster", "status", "--dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no cluster in " + dir).contains("start one first");
    }

    @Test
    void clusterOptionsOutOfRangeFailBeforeAnythingStarts() {
        assertThat(run("cluster", "start", "--dir", dir.toString(), "--taskmanagers", "0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--taskmanagers must be in [1, 64], got 0");
        assertThat(dir.resolve("conf")).doesNotExist();
    }

    @Test
    void periodicRetrainingIsNotSubmittedToACluster() {
        int code =
                run(
                        "cluster",
                        "submit",
                        "retrain",
                        "--dir",
                        dir.toString(),
                        "-D",
                        "sensorcast.retrain.mode=periodic");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("sensorcast.retrain.mode=periodic")
                .contains("once-mode rounds from a scheduler");
    }

    @Test
    void droppingStateNeedsASavepointToDropItFrom() {
        int code =
                run(
                        "cluster",
                        "submit",
                        "forecast",
                        "--dir",
                        dir.toString(),
                        "--allow-non-restored-state");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("--allow-non-restored-state applies to a start from --savepoint");
    }

    @Test
    void benchModelPrintsEveryPathAndTheLimitFromBothEngines() {
        assertThat(run("bench-model", "--shapes", "8x4x1", "--batches", "1,9", "--seconds", "0.1"))
                .isZero();
        String printed = out.toString();
        assertThat(printed)
                .containsPattern("SGEMM [0-9.]+ GFLOP/s \\(libtorch [0-9.]+, ONNX Runtime [0-9.]+,")
                .containsPattern("(?m)^8x4x1 +1( +[0-9.]+){6} +[0-9]+%$")
                .containsPattern("(?m)^8x4x1 +9( +[0-9.]+){6} +[0-9]+%$");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "train",
                "evaluate",
                "bench-model",
                "kafka",
                "replay",
                "publish-model",
                "forecast",
                "cluster",
                "retrain",
                "bench",
                "nab-score"
            })
    void everyCommandHasHelp(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).contains("Usage: sensorcast " + command);
    }
}
