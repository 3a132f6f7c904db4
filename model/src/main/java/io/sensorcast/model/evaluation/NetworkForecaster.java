package io.sensorcast.model.evaluation;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.sensorcast.model.dataset.WindowedSeries;
import io.sensorcast.model.serving.TorchNetwork;

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
                    TorchNetwork.forward(
                            block,
                            manager,
                            windows.gatherInputs(all, from, to),
                            new Shape(to - from, windows.window(), windows.features()));
            System.arraycopy(y, 0, out, from * stride, y.length);
        }
        return out;
    }
}
