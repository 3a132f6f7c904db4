package io.sensorcast.model.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.sensorcast.model.engine.DjlRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BiRecurrentBlockTest {

    private static final int BATCH = 3;
    private static final int TIME = 9;
    private static final int FEATURES = 4;
    private static final int HIDDEN = 6;

    @BeforeAll
    static void loadEngine() {
        DjlRuntime.engine();
    }

    @ParameterizedTest(name = "{0}, {1} layer(s), bidirectional={2}")
    @CsvSource({
        "LSTM, 1, true",
        "LSTM, 2, true",
        "GRU, 1, true",
        "GRU, 2, true",
        "LSTM, 2, false",
        "GRU, 2, false"
    })
    void matchesPlainJavaGateEquations(Cell cell, int layers, boolean bidirectional) {
        try (NDManager manager = NDManager.newBaseManager()) {
            BiRecurrentBlock block =
                    new BiRecurrentBlock(cell, layers, HIDDEN, FEATURES, 0f, bidirectional);
            block.initialize(manager, DataType.FLOAT32, new Shape(BATCH, TIME, FEATURES));
            List<float[]> flat = new ArrayList<>();
            for (Parameter p : block.flatWeights()) {
                flat.add(p.getArray().toFloatArray());
            }
            double[][][] x = randomInput(new Random(cell.ordinal() * 10L + layers));
            NDArray input = manager.create(toFloat(x), new Shape(BATCH, TIME, FEATURES));

            NDList out =
                    block.forward(new ParameterStore(manager, false), new NDList(input), false);
            ReferenceRecurrent.Result expected =
                    ReferenceRecurrent.run(cell, layers, HIDDEN, bidirectional, flat, x);

            int directions = bidirectional ? 2 : 1;
            assertThat(out.get(0).getShape())
                    .isEqualTo(new Shape(BATCH, TIME, (long) directions * HIDDEN));
            assertClose(out.get(0).toFloatArray(), flatten(expected.sequence()));
            assertClose(out.get(1).toFloatArray(), flatten(expected.finalHidden()));
            assertThat(out.size()).isEqualTo(cell == Cell.LSTM ? 3 : 2);
        }
    }

    @ParameterizedTest
    @CsvSource({"LSTM", "GRU"})
    void registersParametersInTorchFlatWeightOrder(Cell cell) {
        BiRecurrentBlock block = new BiRecurrentBlock(cell, 2, HIDDEN, FEATURES, 0f, true);
        List<String> names = new ArrayList<>();
        for (Parameter p : block.flatWeights()) {
            names.add(p.getName());
        }
        assertThat(names)
                .containsExactly(
                        "weight_ih_l0",
                        "weight_hh_l0",
                        "bias_ih_l0",
                        "bias_hh_l0",
                        "weight_ih_l0_reverse",
                        "weight_hh_l0_reverse",
                        "bias_ih_l0_reverse",
                        "bias_hh_l0_reverse",
                        "weight_ih_l1",
                        "weight_hh_l1",
                        "bias_ih_l1",
                        "bias_hh_l1",
                        "weight_ih_l1_reverse",
                        "weight_hh_l1_reverse",
                        "bias_ih_l1_reverse",
                        "bias_hh_l1_reverse");
        assertThat(block.flatWeights().get(8).getShape())
                .isEqualTo(new Shape((long) cell.gates() * HIDDEN, 2L * HIDDEN));
    }

    static double[][][] randomInput(Random random) {
        double[][][] x = new double[BATCH][TIME][FEATURES];
        for (double[][] sample : x) {
            for (double[] step : sample) {
                for (int f = 0; f < FEATURES; f++) {
                    step[f] = random.nextGaussian();
                }
            }
        }
        return x;
    }

    static float[] toFloat(double[][][] x) {
        double[] flat = flatten(x);
        float[] out = new float[flat.length];
        for (int i = 0; i < flat.length; i++) {
            out[i] = (float) flat[i];
        }
        return out;
    }

    static double[] flatten(double[][][] x) {
        int n = x.length * x[0].length * x[0][0].length;
        double[] out = new double[n];
        int k = 0;
        for (double[][] a : x) {
            for (double[] b : a) {
                for (double v : b) {
                    out[k++] = v;
                }
            }
        }
        return out;
    }

    private static void assertClose(float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-5));
        }
    }
}
