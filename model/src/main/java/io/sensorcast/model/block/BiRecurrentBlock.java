package io.sensorcast.model.block;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A stacked, optionally bidirectional LSTM or GRU that runs as one fused libtorch op.
 *
 * <p>DJL's own {@code LSTM}/{@code GRU} blocks register their bidirectional parameters in an order
 * libtorch does not expect and fail on the PyTorch engine. This block registers them in torch's
 * flat-weight order — per layer, per direction (forward, then reverse): {@code w_ih, w_hh, b_ih,
 * b_hh}, named as torch names them ({@code weight_ih_l0}, {@code weight_ih_l0_reverse}, …) — and
 * hands that list straight to {@code torch::lstm}/{@code torch::gru}. Gate rows follow torch too:
 * LSTM {@code i, f, g, o}; GRU {@code r, z, n}.
 *
 * <p>Input: {@code (batch, time, features)}. Output: the top layer's sequence {@code (batch, time,
 * directions × hidden)}, the final hidden states {@code (layers × directions, batch, hidden)} and,
 * for LSTM, the final cell states of the same shape. The reverse direction's final state is the one
 * after reading the window from its last step back to its first.
 */
public final class BiRecurrentBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Cell cell;
    private final int layers;
    private final int hiddenSize;
    private final int inputSize;
    private final float dropout;
    private final boolean bidirectional;
    private final List<Parameter> flatWeights;

    public BiRecurrentBlock(
            Cell cell,
            int layers,
            int hiddenSize,
            int inputSize,
            float dropout,
            boolean bidirectional) {
        super(VERSION);
        this.cell = cell;
        this.layers = layers;
        this.hiddenSize = hiddenSize;
        this.inputSize = inputSize;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int directions = bidirectional ? 2 : 1;
        long gateRows = (long) cell.gates() * hiddenSize;
        // torch initialises every recurrent weight and bias from U(-1/sqrt(hidden),
        // 1/sqrt(hidden)).
        UniformInitializer init = new UniformInitializer((float) (1.0 / Math.sqrt(hiddenSize)));
        List<Parameter> flat = new ArrayList<>(layers * directions * 4);
        for (int layer = 0; layer < layers; layer++) {
            long layerInput = layer == 0 ? inputSize : (long) hiddenSize * directions;
            for (int direction = 0; direction < directions; direction++) {
                String suffix = "_l" + layer + (direction == 1 ? "_reverse" : "");
                flat.add(weight("weight_ih" + suffix, new Shape(gateRows, layerInput), init));
                flat.add(weight("weight_hh" + suffix, new Shape(gateRows, hiddenSize), init));
                flat.add(bias("bias_ih" + suffix, new Shape(gateRows), init));
                flat.add(bias("bias_hh" + suffix, new Shape(gateRows), init));
            }
        }
        this.flatWeights = Collections.unmodifiableList(flat);
    }

    private Parameter weight(String name, Shape shape, UniformInitializer init) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(shape)
                        .optInitializer(init)
                        .build());
    }

    private Parameter bias(String name, Shape shape, UniformInitializer init) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.BIAS)
                        .optShape(shape)
                        .optInitializer(init)
                        .build());
    }

    /** The parameters in the order libtorch's fused op reads them. */
    public List<Parameter> flatWeights() {
        return flatWeights;
    }

    public Cell cell() {
        return cell;
    }

    public int layers() {
        return layers;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int directions() {
        return bidirectional ? 2 : 1;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        Device device = x.getDevice();
        NDList weights = new NDList(flatWeights.size());
        for (Parameter p : flatWeights) {
            weights.add(parameterStore.getValue(p, device, training));
        }
        Shape stateShape = new Shape((long) layers * directions(), x.getShape().get(0), hiddenSize);
        NDManager manager = x.getManager();
        NDArray h0 = manager.zeros(stateShape, x.getDataType(), device);
        if (cell == Cell.LSTM) {
            NDArray c0 = manager.zeros(stateShape, x.getDataType(), device);
            return x.getNDArrayInternal()
                    .lstm(
                            x,
                            new NDList(h0, c0),
                            weights,
                            true,
                            layers,
                            dropout,
                            training,
                            bidirectional,
                            true);
        }
        return x.getNDArrayInternal()
                .gru(x, h0, weights, true, layers, dropout, training, bidirectional, true);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape sequence = new Shape(in.get(0), in.get(1), (long) directions() * hiddenSize);
        Shape state = new Shape((long) layers * directions(), in.get(0), hiddenSize);
        return cell == Cell.LSTM
                ? new Shape[] {sequence, state, state}
                : new Shape[] {sequence, state};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        long features = inputShapes[0].get(2);
        if (features != inputSize) {
            throw new IllegalArgumentException(
                    "input has " + features + " features but the block was built for " + inputSize);
        }
    }
}
