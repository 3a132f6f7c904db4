package io.sensorcast.model.block;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.sensorcast.model.engine.DjlRuntime;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Central finite differences, in double precision, against the gradients autograd gives through the
 * fused op, the head and the skip path: training must see true gradients.
 */
class GradientCheckTest {

    private static final double EPS = 1e-6;

    @BeforeAll
    static void loadEngine() {
        DjlRuntime.engine();
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void autogradMatchesFiniteDifferences(Cell cell) {
        NetworkConfig config =
                NetworkConfig.builder()
                        .setWindow(6)
                        .setHorizon(3)
                        .optCell(cell)
                        .optLayers(2)
                        .optHiddenSize(4)
                        .optInputFeatures(2)
                        .optTargetIndices(1)
                        .build();
        Random random = new Random(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            ForecastBlock block = new ForecastBlock(config);
            Shape inputShape = new Shape(3, 6, 2);
            block.initialize(manager, DataType.FLOAT64, inputShape);
            NDArray x = manager.create(gaussian(random, 36), inputShape);
            NDArray weights = manager.create(gaussian(random, 9), new Shape(3, 3, 1));

            Map<String, double[]> analytic = analyticGradients(block, manager, x, weights);
            int checked = 0;
            for (Pair<String, Parameter> entry : block.getParameters()) {
                NDArray array = entry.getValue().getArray();
                double[] values = array.toDoubleArray();
                // Three entries of every parameter: first, last and one in between.
                int[] picks = {0, values.length / 2, values.length - 1};
                double[] numeric = new double[picks.length];
                for (int i = 0; i < picks.length; i++) {
                    int k = picks[i];
                    double original = values[k];
                    values[k] = original + EPS;
                    array.set(values);
                    double plus = loss(block, manager, x, weights);
                    values[k] = original - EPS;
                    array.set(values);
                    double minus = loss(block, manager, x, weights);
                    values[k] = original;
                    array.set(values);
                    numeric[i] = (plus - minus) / (2 * EPS);
                }
                for (int i = 0; i < picks.length; i++) {
                    double a = analytic.get(entry.getKey())[picks[i]];
                    assertThat(a)
                            .as("d loss / d %s[%d]", entry.getKey(), picks[i])
                            .isCloseTo(
                                    numeric[i],
                                    org.assertj.core.api.Assertions.within(
                                            1e-6 + 1e-5 * Math.abs(numeric[i])));
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(40);
        }
    }

    private static double loss(ForecastBlock block, NDManager manager, NDArray x, NDArray w) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray y =
                    block.forward(new ParameterStore(scope, false), new NDList(x), false).head();
            return y.mul(w).sum().getDouble();
        }
    }

    /** One backward pass; every parameter's gradient by name. */
    private static Map<String, double[]> analyticGradients(
            ForecastBlock block, NDManager manager, NDArray x, NDArray w) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(scope, false), new NDList(x), true).head();
            collector.backward(y.mul(w).sum());
            Map<String, double[]> gradients = new HashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                gradients.put(p.getKey(), p.getValue().getArray().getGradient().toDoubleArray());
            }
            return gradients;
        } finally {
            for (Pair<String, Parameter> p : block.getParameters()) {
                p.getValue().getArray().setRequiresGradient(false);
            }
        }
    }

    private static double[] gaussian(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
