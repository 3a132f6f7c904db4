package io.sensorcast.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.sensorcast.model.block.Cell;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.evaluation.Comparison;
import io.sensorcast.model.manifest.EpochStats;
import io.sensorcast.model.manifest.ForecastMetrics;
import io.sensorcast.model.manifest.TrainingOptions;
import io.sensorcast.model.manifest.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ForecastTrainerTest {

    @BeforeAll
    static void loadEngine() {
        DjlRuntime.engine();
    }

    /** A noisy daily-like cycle whose amplitude drifts: persistence is poor, patterns learnable. */
    static TimeSeriesTable seasonal(int rows, long seed) {
        Random random = new Random(seed);
        List<String> stamps = new ArrayList<>();
        double[] v = new double[rows];
        for (int t = 0; t < rows; t++) {
            stamps.add("t" + t);
            double amplitude = 3 + Math.sin(t / 150.0);
            v[t] = 20 + amplitude * Math.sin(2 * Math.PI * t / 12) + 0.3 * random.nextGaussian();
        }
        return new TimeSeriesTable(stamps, List.of("value"), new double[][] {v});
    }

    private static TrainingRun run(TimeSeriesTable table) {
        return run(table, null);
    }

    /** A run on {@code scaler} (null: fitted to the training rows). */
    private static TrainingRun run(TimeSeriesTable table, Standardizer scaler) {
        return new TrainingRun(
                table,
                "synthetic",
                List.of(),
                List.of("value"),
                new WindowSpec(24, 6, 1),
                TimeSplit.fractions(table.rows(), 0.6, 0.2),
                12,
                scaler);
    }

    private static NetworkConfig small(TrainingRun run, Cell cell) {
        return run.network().optCell(cell).optHiddenSize(8).optLinearSkip(false).build();
    }

    @Test
    void learnsASeasonalSeriesBetterThanPersistence() {
        TrainingRun run = run(seasonal(900, 1));
        TrainingOptions options = TrainingOptions.defaults().withEpochs(8).withBatchSize(32);
        List<EpochStats> seen = new ArrayList<>();
        try (TrainingRun.Outcome outcome = run.train(small(run, Cell.LSTM), options, seen::add)) {
            Map<String, ForecastMetrics> validation = outcome.manifest().validation();
            assertThat(seen).isNotEmpty();
            assertThat(seen.get(seen.size() - 1).trainLoss()).isLessThan(seen.get(0).trainLoss());
            assertThat(validation.get("model").mse())
                    .isLessThan(validation.get("persistence").mse());
            assertThat(outcome.manifest().training().bestValidationLoss())
                    .isCloseTo(validation.get("model").mse(), within(1e-4));
        }
    }

    /**
     * NAB's perfect square wave: the normalised windows fit exactly, whole batches have no
     * gradient, and DJL refuses to step on those ("Gradient values are all zeros"); such batches
     * are skipped instead of failing the training (found by `sensorcast nab`).
     */
    @Test
    void trainsOnASeriesWhoseBatchesHaveNoGradient() throws Exception {
        TimeSeriesTable wave =
                TimeSeriesTable.readCsv(
                        java.nio.file.Path.of(
                                System.getProperty("sensorcast.data.dir", "../data"),
                                "nab/data/artificialNoAnomaly/art_daily_perfect_square_wave.csv"));
        TrainingRun run =
                new TrainingRun(
                        wave,
                        "square",
                        List.of(),
                        List.of("value"),
                        new WindowSpec(48, 1, 1),
                        new TimeSplit(362, 483, 604),
                        12);
        try (TrainingRun.Outcome outcome =
                run.train(
                        run.network().optHiddenSize(32).build(),
                        TrainingOptions.defaults().withEpochs(3),
                        e -> {})) {
            assertThat(outcome.manifest().training().epochs()).isNotEmpty();
        }
    }

    @Test
    void sameSeedGivesTheSameModel() {
        TrainingRun run = run(seasonal(500, 2));
        TrainingOptions options = TrainingOptions.defaults().withEpochs(2).withSeed(7);
        float[] first = trainAndDump(run, small(run, Cell.GRU), options);
        float[] second = trainAndDump(run, small(run, Cell.GRU), options);
        float[] other = trainAndDump(run, small(run, Cell.GRU), options.withSeed(8));
        assertThat(second).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void restoresTheBestValidationEpochWhenStoppingEarly() {
        TrainingRun run = run(seasonal(600, 3));
        // A learning rate this high makes validation loss jump around; patience 1 stops early.
        TrainingOptions options =
                TrainingOptions.defaults()
                        .withEpochs(30)
                        .withLearningRate(0.05)
                        .withPatience(1)
                        .withBatchSize(16);
        try (TrainingRun.Outcome outcome = run.train(small(run, Cell.LSTM), options, e -> {})) {
            TrainingResult result = outcome.manifest().training();
            assertThat(result.stoppedEarly()).isTrue();
            assertThat(result.epochs().size()).isLessThan(30);
            double bestSeen =
                    result.epochs().stream()
                            .mapToDouble(EpochStats::validationLoss)
                            .min()
                            .orElseThrow();
            assertThat(result.bestValidationLoss())
                    .isEqualTo(Math.min(bestSeen, result.initialValidationLoss()));
            // the kept weights are the best epoch's, not the last epoch's
            assertThat(outcome.manifest().validation().get("model").mse())
                    .isCloseTo(result.bestValidationLoss(), within(1e-4));
        }
    }

    @Test
    void warmStartBeginsAtTheLinearBaseline() {
        TrainingRun run = run(seasonal(700, 4));
        NetworkConfig config = run.network().optHiddenSize(8).build(); // linear skip on
        TrainingOptions options = TrainingOptions.defaults().withEpochs(1);
        try (TrainingRun.Outcome outcome = run.train(config, options, e -> {})) {
            TrainingResult result = outcome.manifest().training();
            Map<String, ForecastMetrics> validation = outcome.manifest().validation();
            // the linear baseline reads every window step of the target, as the skip path does
            assertThat(result.initialValidationLoss())
                    .isCloseTo(validation.get("linear").mse(), within(0.02));
            assertThat(validation.get("model").mse())
                    .isLessThanOrEqualTo(result.initialValidationLoss() + 1e-6);
        }
    }

    @Test
    void fineTuningStartsFromTheGivenModel() {
        TimeSeriesTable table = seasonal(900, 5);
        TrainingRun first = run(table);
        TrainingOptions options = TrainingOptions.defaults().withEpochs(3).withBatchSize(32);
        try (TrainingRun.Outcome start = first.train(small(first, Cell.LSTM), options, e -> {})) {
            TrainingResult trained = start.manifest().training();
            TrainingRun again = run(table, start.manifest().scaler());
            try (TrainingRun.Outcome tuned =
                    again.fineTune(start.trained().block(), options.withEpochs(1), e -> {})) {
                TrainingResult result = tuned.manifest().training();
                // epoch 0 is the start model itself, on the same validation windows
                assertThat(result.initialValidationLoss())
                        .isCloseTo(trained.bestValidationLoss(), within(1e-5));
                assertThat(result.bestValidationLoss())
                        .isLessThanOrEqualTo(result.initialValidationLoss());
                assertThat(tuned.manifest().network()).isEqualTo(start.manifest().network());
                assertThat(tuned.manifest().scaler().means())
                        .containsExactly(start.manifest().scaler().means());
            }
            // from scratch, the same run starts elsewhere
            try (TrainingRun.Outcome scratch =
                    first.train(small(first, Cell.LSTM), options.withEpochs(1), e -> {})) {
                assertThat(scratch.manifest().training().initialValidationLoss())
                        .isNotCloseTo(trained.bestValidationLoss(), within(1e-2));
            }
        }
    }

    @Test
    void fineTuningRefusesAModelForOtherWindows() {
        TimeSeriesTable table = seasonal(700, 6);
        TrainingRun run = run(table);
        TrainingOptions options = TrainingOptions.defaults().withEpochs(1);
        NetworkConfig other = run.network().setWindow(12).optHiddenSize(8).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            ForecastBlock block = new ForecastBlock(other);
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 12, 1));
            assertThatThrownBy(() -> run.fineTune(block, options, e -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot fine-tune");
        }
        assertThatThrownBy(() -> run(table, new Standardizer(new double[2], new double[] {1, 1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scaler has 2 columns but the run reads 1");
    }

    @Test
    void clipsTheGlobalGradientNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter a = Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT).build();
            Parameter b = Parameter.builder().setName("b").setType(Parameter.Type.WEIGHT).build();
            a.setArray(manager.create(new float[] {1, 2}));
            b.setArray(manager.create(new float[] {3}));
            for (Parameter p : List.of(a, b)) {
                p.getArray().setRequiresGradient(true);
            }
            try (ai.djl.training.GradientCollector gc =
                    ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                // gradients: d/da = (3, 4), d/db = 12 -> norm 13
                gc.backward(
                        a.getArray()
                                .mul(manager.create(new float[] {3, 4}))
                                .sum()
                                .add(b.getArray().mul(12).sum()));
            }
            try (NDManager scope = manager.newSubManager()) {
                double norm = ForecastTrainer.clipGradients(List.of(a, b), 1.3, scope);
                assertThat(norm).isCloseTo(13, within(1e-5));
            }
            assertThat(a.getArray().getGradient().toFloatArray())
                    .containsExactly(new float[] {0.3f, 0.4f}, within(1e-5f));
            assertThat(b.getArray().getGradient().toFloatArray())
                    .containsExactly(new float[] {1.2f}, within(1e-5f));
        }
    }

    @Test
    void optionsNameTheFieldAndRangeTheyReject() {
        assertThatThrownBy(() -> TrainingOptions.defaults().withLearningRate(0))
                .hasMessage("learningRate must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> TrainingOptions.defaults().withBatchSize(0))
                .hasMessage("batchSize must be in [1, 1048576], got 0");
        assertThatThrownBy(() -> TrainingOptions.defaults().withDevice("tpu"))
                .hasMessage("device must be one of auto, cpu, gpu; got 'tpu'");
    }

    private static float[] trainAndDump(
            TrainingRun run, NetworkConfig config, TrainingOptions options) {
        try (TrainingRun.Outcome outcome = run.train(config, options, e -> {})) {
            List<Float> values = new ArrayList<>();
            for (Pair<String, Parameter> p : outcome.trained().block().getParameters()) {
                for (float v : p.getValue().getArray().toFloatArray()) {
                    values.add(v);
                }
            }
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
    }

    @Test
    void comparisonTableListsEveryForecaster() {
        TrainingRun run = run(seasonal(400, 5));
        var train = run.windows(TimeSplit.fractions(400, 0.6, 0.2).train());
        var results =
                Comparison.run(
                        Comparison.baselines(run.targetIndices(), 12, train),
                        train,
                        run.scaler(),
                        run.targetIndices());
        assertThat(results).containsOnlyKeys("persistence", "seasonal-naive(12)", "linear");
        assertThat(Comparison.table(results)).contains("seasonal-naive(12)").contains("sMAPE%");
    }
}
