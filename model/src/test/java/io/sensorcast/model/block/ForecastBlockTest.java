package io.sensorcast.model.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.sensorcast.model.engine.DjlRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForecastBlockTest {

    private static final int BATCH = 2;
    private static final int WINDOW = 7;
    private static final int FEATURES = 3;
    private static final int HIDDEN = 5;
    private static final int HORIZON = 4;
    private static final int[] TARGETS = {2, 0};

    @BeforeAll
    static void loadEngine() {
        DjlRuntime.engine();
    }

    @ParameterizedTest(name = "{0}, {1} layer(s), skip={2}, normalised={3}, recent steps={4}")
    @CsvSource({
        "LSTM, 1, false, false, 0",
        "LSTM, 2, true, true, 0",
        "LSTM, 2, true, true, 3",
        "GRU, 1, true, false, 0",
        "GRU, 1, true, false, 1",
        "GRU, 2, false, true, 0"
    })
    void joinsFinalStatesOfBothDirectionsIntoTheHead(
            Cell cell, int layers, boolean skip, boolean normalised, int skipRecent) {
        NetworkConfig config =
                NetworkConfig.builder()
                        .setWindow(WINDOW)
                        .setHorizon(HORIZON)
                        .optCell(cell)
                        .optLayers(layers)
                        .optHiddenSize(HIDDEN)
                        .optInputFeatures(FEATURES)
                        .optTargetIndices(TARGETS)
                        .optLinearSkip(skip)
                        .optWindowNormalization(normalised)
                        .optSkipRecentSteps(skipRecent)
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            ForecastBlock block = new ForecastBlock(config);
            block.initialize(manager, DataType.FLOAT32, new Shape(BATCH, WINDOW, FEATURES));
            Map<String, float[]> p = new HashMap<>();
            for (Pair<String, Parameter> e : block.getParameters()) {
                p.put(e.getKey(), e.getValue().getArray().toFloatArray());
            }
            List<float[]> flat = new ArrayList<>();
            for (Parameter w : block.recurrent().flatWeights()) {
                flat.add(w.getArray().toFloatArray());
            }
            double[][][] x = new double[BATCH][WINDOW][FEATURES];
            Random random = new Random(3);
            for (double[][] s : x) {
                for (double[] step : s) {
                    for (int f = 0; f < FEATURES; f++) {
                        step[f] = random.nextGaussian() + 5; // a level the normalisation removes
                    }
                }
            }
            NDArray input =
                    manager.create(
                            BiRecurrentBlockTest.toFloat(x), new Shape(BATCH, WINDOW, FEATURES));
            float[] actual =
                    block.forward(new ParameterStore(manager, false), new NDList(input), false)
                            .head()
                            .toFloatArray();

            double[][][] seen = x;
            if (normalised) {
                seen = new double[BATCH][WINDOW][FEATURES];
                for (int b = 0; b < BATCH; b++) {
                    for (int s = 0; s < WINDOW; s++) {
                        for (int f = 0; f < FEATURES; f++) {
                            seen[b][s][f] = x[b][s][f] - x[b][WINDOW - 1][f];
                        }
                    }
                }
            }
            ReferenceRecurrent.Result rnn =
                    ReferenceRecurrent.run(cell, layers, HIDDEN, true, flat, seen);
            float[] headW = p.get("02head_weight");
            float[] headB = p.get("02head_bias");
            int units = HORIZON * TARGETS.length;
            for (int b = 0; b < BATCH; b++) {
                double[] joined = new double[2 * HIDDEN];
                // [forward after the last step, reverse after the first step], top layer
                System.arraycopy(rnn.finalHidden()[2 * (layers - 1)][b], 0, joined, 0, HIDDEN);
                System.arraycopy(
                        rnn.finalHidden()[2 * (layers - 1) + 1][b], 0, joined, HIDDEN, HIDDEN);
                for (int u = 0; u < units; u++) {
                    int h = u / TARGETS.length;
                    int k = u % TARGETS.length;
                    double y = headB[u];
                    for (int j = 0; j < joined.length; j++) {
                        y += headW[u * joined.length + j] * joined[j];
                    }
                    if (skip) {
                        float[] sw = p.get("skip_weight");
                        y += p.get("skip_bias")[k * HORIZON + h];
                        int inputs = WINDOW + skipRecent * FEATURES;
                        for (int s = 0; s < WINDOW; s++) {
                            y += seen[b][s][TARGETS[k]] * sw[(k * inputs + s) * HORIZON + h];
                        }
                        // then the newest steps of every feature, step by step
                        for (int s = 0; s < skipRecent; s++) {
                            for (int f = 0; f < FEATURES; f++) {
                                int i = WINDOW + s * FEATURES + f;
                                y +=
                                        seen[b][WINDOW - skipRecent + s][f]
                                                * sw[(k * inputs + i) * HORIZON + h];
                            }
                        }
                    }
                    if (normalised) {
                        y += x[b][WINDOW - 1][TARGETS[k]];
                    }
                    assertThat((double) actual[b * units + u])
                            .as("batch %d, step %d, target %d", b, h, k)
                            .isCloseTo(y, within(1e-5 * Math.max(1, Math.abs(y))));
                }
            }
        }
    }

    /** Manifests written before the skip path could read recent steps load as they were. */
    @Test
    void aConfigWithoutSkipRecentStepsReadsItsTargetsWindowOnly() throws Exception {
        NetworkConfig config =
                NetworkConfig.builder()
                        .setWindow(WINDOW)
                        .setHorizon(1)
                        .optSkipRecentSteps(2)
                        .build();
        var json = io.sensorcast.model.artifact.ModelArtifact.json();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(config);
        assertThat(tree.get("skipRecentSteps").asInt()).isEqualTo(2);
        assertThat(json.treeToValue(tree, NetworkConfig.class)).isEqualTo(config);
        tree.remove("skipRecentSteps");
        NetworkConfig older = json.treeToValue(tree, NetworkConfig.class);
        assertThat(older.skipRecentSteps()).isZero();
        assertThat(ForecastBlock.skipInputs(older)).isEqualTo(WINDOW);
        assertThatThrownBy(
                        () ->
                                NetworkConfig.builder()
                                        .setWindow(4)
                                        .setHorizon(1)
                                        .optSkipRecentSteps(5)
                                        .build())
                .hasMessage("skipRecentSteps must be in [0, 4], got 5");
    }

    @Test
    void refusesInputOfAnotherShape() {
        NetworkConfig config = NetworkConfig.builder().setWindow(WINDOW).setHorizon(1).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            ForecastBlock block = new ForecastBlock(config);
            assertThatThrownBy(
                            () ->
                                    block.initialize(
                                            manager, DataType.FLOAT32, new Shape(1, WINDOW + 1, 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(batch, 7, 1)");
        }
    }

    @Test
    void configNamesTheFieldAndRangeItRejects() {
        assertThatThrownBy(() -> NetworkConfig.builder().setWindow(0).setHorizon(1).build())
                .hasMessage("window must be in [1, 100000], got 0");
        assertThatThrownBy(
                        () ->
                                NetworkConfig.builder()
                                        .setWindow(4)
                                        .setHorizon(1)
                                        .optDropout(1f)
                                        .build())
                .hasMessage("dropout must be in [0, 1), got 1.0");
        assertThatThrownBy(
                        () ->
                                NetworkConfig.builder()
                                        .setWindow(4)
                                        .setHorizon(1)
                                        .optTargetIndices(1)
                                        .build())
                .hasMessage("targetIndices must be in [0, 0] (the input features), got 1");
    }
}
