package io.sensorcast.model.serving;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.sensorcast.model.block.Cell;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.engine.DjlRuntime;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnnxExportTest {

    private static final int WINDOW = 9;
    private static final int FEATURES = 3;
    private static final int HIDDEN = 6;
    private static final int HORIZON = 4;

    @BeforeAll
    static void loadEngine() {
        DjlRuntime.engine();
    }

    static NetworkConfig config(
            Cell cell,
            int layers,
            boolean bidirectional,
            boolean skip,
            boolean normalised,
            int skipRecent,
            int[] targets) {
        return NetworkConfig.builder()
                .setWindow(WINDOW)
                .setHorizon(HORIZON)
                .optCell(cell)
                .optLayers(layers)
                .optHiddenSize(HIDDEN)
                .optBidirectional(bidirectional)
                .optInputFeatures(FEATURES)
                .optTargetIndices(targets)
                .optLinearSkip(skip)
                .optWindowNormalization(normalised)
                .optSkipRecentSteps(skipRecent)
                .build();
    }

    @ParameterizedTest(
            name =
                    "{0}, {1} layer(s), bidirectional={2}, skip={3}, normalised={4}, recent"
                            + " steps={5}")
    @CsvSource({
        "LSTM, 1, true, false, false, 0",
        "LSTM, 2, true, true, true, 0",
        "LSTM, 2, true, true, true, 3",
        "LSTM, 2, false, true, false, 0",
        "LSTM, 1, false, true, false, 1",
        "LSTM, 3, true, false, true, 0",
        "GRU, 1, true, true, false, 0",
        "GRU, 2, true, false, true, 0",
        "GRU, 1, false, true, true, 0",
        "GRU, 1, true, true, true, 2"
    })
    void onnxRuntimeForecastsWhatLibtorchForecastsForEveryArchitecture(
            Cell cell,
            int layers,
            boolean bidirectional,
            boolean skip,
            boolean normalised,
            int skipRecent)
            throws Exception {
        for (int[] targets : new int[][] {{1}, {2, 0}}) {
            NetworkConfig config =
                    config(cell, layers, bidirectional, skip, normalised, skipRecent, targets);
            try (NDManager manager = NDManager.newBaseManager()) {
                ForecastBlock block = randomBlock(config, manager, 11);
                TorchNetwork torch = new TorchNetwork(block, manager);
                try (OrtNetwork ort = OrtNetwork.load(OnnxExport.export(block), config, 1)) {
                    assertThat(ort.engine()).startsWith("ONNX Runtime 1.29");
                    for (int n : new int[] {1, 5, 64, 150}) { // 150: three passes
                        float[] x = levels(n, 7);
                        float[] expected = torch.forward(x, n);
                        float[] actual = ort.forward(x, n);
                        assertThat(actual).hasSize(n * HORIZON * targets.length);
                        assertClose(actual, expected, "batch " + n + ", targets " + targets.length);
                    }
                    assertThat(EngineParity.difference(torch, ort, config))
                            .isLessThan(EngineParity.TOLERANCE);
                }
                try (OrtNetwork threaded = OrtNetwork.load(OnnxExport.export(block), config, 2)) {
                    assertThat(threaded.threads()).isEqualTo(2);
                    for (int n : new int[] {1, 3, 150}) { // one part; two parts of passes
                        float[] expected = torch.forward(levels(n, 7), n);
                        assertClose(threaded.forward(levels(n, 7), n), expected, "2 threads");
                    }
                }
            }
        }
    }

    /**
     * Each value within 2e-6 of the expected one, relative above 1: float32 sums of up to window ×
     * features terms, added in another order by each engine.
     */
    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 2e-6 * Math.max(1, Math.abs(expected[i]));
            assertThat((double) actual[i])
                    .as("value %d, %s", i, what)
                    .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(tolerance));
        }
    }

    /**
     * Batch invariant, a window's forecast is the same, to the bit, whatever else shares its batch:
     * so a replay forecasts every reading alike however the readings happened to be batched.
     */
    @ParameterizedTest(name = "batches of {0}")
    @CsvSource({"1", "2", "3", "5", "7", "9", "17", "64", "255"})
    void aWindowIsForecastTheSameWhateverItsBatch(int n) throws Exception {
        int window = 48;
        NetworkConfig config =
                NetworkConfig.builder()
                        .setWindow(window)
                        .setHorizon(1)
                        .optCell(Cell.LSTM)
                        .optHiddenSize(32)
                        .optBidirectional(true)
                        .optInputFeatures(1)
                        .optTargetIndices(new int[] {0})
                        .optLinearSkip(true)
                        .optWindowNormalization(true)
                        .build();
        int total = 256;
        Random random = new Random(3);
        float[] all = new float[total * window];
        for (int i = 0; i < all.length; i++) {
            all[i] = (float) (50 + 20 * random.nextGaussian());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ForecastBlock block = new ForecastBlock(config);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, window, 1));
            byte[] onnx = OnnxExport.export(block);
            try (OrtNetwork ort = OrtNetwork.load(onnx, config, 1, true);
                    OrtNetwork threaded = OrtNetwork.load(onnx, config, 3, true)) {
                // on three threads: the batch in three parts, each in passes
                float[] together = threaded.forward(all, total);
                for (int from = 0; from + n <= total; from += n) {
                    float[] part =
                            java.util.Arrays.copyOfRange(all, from * window, (from + n) * window);
                    float[] alone = ort.forward(part, n);
                    assertThat(alone).hasSize(n);
                    for (int i = 0; i < n; i++) {
                        assertThat(alone[i])
                                .as("window %d in a batch of %d", from + i, n)
                                .isEqualTo(together[from + i]);
                    }
                }
            }
        }
    }

    @Test
    void batchInvarianceIsTrueOrFalseAndABadValueNamesTheProperty() {
        String previous = System.getProperty(OrtNetwork.BATCH_INVARIANT_PROPERTY);
        try {
            System.clearProperty(OrtNetwork.BATCH_INVARIANT_PROPERTY);
            assertThat(OrtNetwork.batchInvariant()).isFalse();
            System.setProperty(OrtNetwork.BATCH_INVARIANT_PROPERTY, "TRUE");
            assertThat(OrtNetwork.batchInvariant()).isTrue();
            System.setProperty(OrtNetwork.BATCH_INVARIANT_PROPERTY, "yes");
            org.assertj.core.api.Assertions.assertThatThrownBy(OrtNetwork::batchInvariant)
                    .hasMessage(
                            "sensorcast.onnxruntime.batch-invariant must be true or false, got"
                                    + " 'yes'");
        } finally {
            if (previous == null) {
                System.clearProperty(OrtNetwork.BATCH_INVARIANT_PROPERTY);
            } else {
                System.setProperty(OrtNetwork.BATCH_INVARIANT_PROPERTY, previous);
            }
        }
    }

    @Test
    void theParityCheckSeesAnEngineThatIsSlightlyOff() throws Exception {
        NetworkConfig config = config(Cell.LSTM, 1, true, true, true, 0, new int[] {0});
        try (NDManager manager = NDManager.newBaseManager()) {
            ForecastBlock block = randomBlock(config, manager, 3);
            TorchNetwork torch = new TorchNetwork(block, manager);
            ServingNetwork off = shifted(torch, 1e-4f);
            assertThat(EngineParity.difference(torch, off, config))
                    .isGreaterThan(EngineParity.TOLERANCE);
            assertThat(EngineParity.difference(torch, shifted(torch, Float.NaN), config)).isNaN();
            ServingNetwork nan = shifted(shifted(torch, Float.NaN), 0);
            assertThat(EngineParity.difference(shifted(torch, Float.NaN), nan, config)).isZero();
            // torch's gate order served as ONNX's: a wrong export is far off
            float[] gates = {1, 1, 2, 2, 3, 3, 4, 4};
            assertThat(OnnxExport.reorderGates(Cell.LSTM, gates, 2))
                    .containsExactly(1, 1, 4, 4, 2, 2, 3, 3);
            assertThat(OnnxExport.reorderGates(Cell.GRU, new float[] {1, 2, 3}, 1))
                    .containsExactly(2, 1, 3);
        }
    }

    private static ServingNetwork shifted(ServingNetwork base, float by) {
        return new ServingNetwork() {
            @Override
            public String engine() {
                return "shifted";
            }

            @Override
            public float[] forward(float[] windows, int n) {
                float[] y = base.forward(windows, n);
                y[y.length / 2] += by;
                return y;
            }

            @Override
            public void close() {}
        };
    }

    /** A block with weights drawn wider than torch's default, so every gate matters. */
    static ForecastBlock randomBlock(NetworkConfig config, NDManager manager, long seed) {
        ForecastBlock block = new ForecastBlock(config);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, WINDOW, FEATURES));
        Random random = new Random(seed);
        block.getParameters()
                .forEach(
                        p -> {
                            float[] v = new float[(int) p.getValue().getArray().size()];
                            for (int i = 0; i < v.length; i++) {
                                v[i] = (float) (random.nextGaussian() * 0.4);
                            }
                            p.getValue().getArray().set(v);
                        });
        return block;
    }

    /** Windows around distinct levels, so normalisation and the anchor are exercised. */
    private static float[] levels(int n, long seed) {
        Random random = new Random(seed);
        float[] x = new float[n * WINDOW * FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() + (i / (WINDOW * FEATURES)) % 5 - 2);
        }
        return x;
    }
}
