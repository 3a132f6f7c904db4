package io.sensorcast.model.serving;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;

/**
 * The block itself on libtorch, each pass in its own NDManager scope under the model's manager. It
 * does not own the block: the model that holds both closes it.
 */
public final class TorchNetwork implements ServingNetwork {

    private final ForecastBlock block;
    private final NDManager manager;
    private final Shape single;

    public TorchNetwork(ForecastBlock block, NDManager manager) {
        this.block = block;
        this.manager = manager;
        NetworkConfig c = block.config();
        this.single = new Shape(1, c.window(), c.inputFeatures());
    }

    @Override
    public String engine() {
        Engine e = manager.getEngine();
        return e.getEngineName() + " " + e.getVersion();
    }

    @Override
    public float[] forward(float[] windows, int n) {
        return forward(block, manager, windows, new Shape(n, single.get(1), single.get(2)));
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

    @Override
    public void close() {
        // the model owning the block closes it
    }
}
