package io.sensorcast.model.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.sensorcast.model.dataset.WindowedSeries;

/**
 * A {@link Forecaster} over a trained block: inference in batches, each in its own NDManager scope
 * under {@code manager}.
 */
public final class NetworkForecaster implements Forecaster {

    private final String name;
    private final Block block;
    private final NDManager manager;
    private final int batchSize;

    public NetworkForecaster(String name, Block block, NDManager manager, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.name = name;
        this.block = block;
        this.manager = manager;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public float[] predict(WindowedSeries windows) {
        int stride = windows.labelStride();
        float[] out = new float[windows.size() * stride];
        int[] all = windows.allIndices();
        for (int from = 0; from < all.length; from += batchSize) {
            int to = Math.min(all.length, from + batchSize);
            float[] y =
                    forward(
                            block,
                            manager,
                            windows.gatherInputs(all, from, to),
                            new Shape(to - from, windows.window(), windows.features()));
            System.arraycopy(y, 0, out, from * stride, y.length);
        }
        return out;
    }

    /**
     * One inference pass of {@code block} over {@code inputs} of {@code shape}, with every NDArray
     * it makes freed in a scope under {@code manager}: the one way batches are run for evaluation,
     * serving and benchmarks.
     */
    public static float[] forward(Block block, NDManager manager, float[] inputs, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(inputs, shape);
            return block.forward(new ParameterStore(scope, false), new NDList(x), false)
                    .head()
                    .toFloatArray();
        }
    }
}
