package io.sensorcast.model.block;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.sensorcast.model.dataset.WindowedSeries;
import io.sensorcast.model.math.LeastSquares;

/**
 * The forecaster: a {@link BiRecurrentBlock} over the input window, a linear head, and an optional
 * linear skip path.
 *
 * <p><b>How the directions are joined.</b> The head reads the top layer's final hidden state of
 * each direction, concatenated as {@code [h_fwd(T), h_bwd(1)]}: the forward direction's state after
 * the last step and the reverse direction's state after the first step. Each has read the whole
 * window, from opposite ends (the top layer's output at step {@code T} would pair the full forward
 * state with a reverse state that has seen a single step). A linear layer maps the joined {@code
 * directions × hidden} vector to {@code horizon × targets}.
 *
 * <p><b>Linear skip.</b> With {@link NetworkConfig#linearSkip()}, each target's own window (and the
 * newest {@link NetworkConfig#skipRecentSteps()} steps of every feature: its seasonal channels, its
 * covariates) is also mapped linearly to its horizon and added to the head's output (as in LSTNet's
 * autoregressive component), so the recurrent path learns what a linear model cannot.
 *
 * <p><b>Window normalisation.</b> With {@link NetworkConfig#windowNormalization()}, every feature's
 * last value in the window is subtracted before both paths read it and each target's last value is
 * added back to the forecast: the network learns changes, not levels.
 *
 * <p>Input {@code (batch, window, features)}, standardised; output {@code (batch, horizon,
 * targets)}, standardised.
 */
public final class ForecastBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final NetworkConfig config;
    private final BiRecurrentBlock recurrent;
    private final Linear head;
    private final Parameter skipWeight;
    private final Parameter skipBias;
    // Parsed once: NDIndex parses its string form on every construction.
    private final NDIndex lastStep = new NDIndex(":, -1:, :");
    private final NDIndex recentSteps;
    private final NDIndex topLayer;
    private final NDIndex[] targetColumns;

    public ForecastBlock(NetworkConfig config) {
        super(VERSION);
        this.config = config;
        this.topLayer = new NDIndex("{}:", (long) (config.layers() - 1) * config.directions());
        this.recentSteps =
                new NDIndex(":, {}:, :", (long) config.window() - config.skipRecentSteps());
        int[] targets = config.targetIndices();
        this.targetColumns = new NDIndex[targets.length];
        for (int k = 0; k < targets.length; k++) {
            targetColumns[k] = new NDIndex(":, :, {}", (long) targets[k]);
        }
        this.recurrent =
                addChildBlock(
                        "recurrent",
                        new BiRecurrentBlock(
                                config.cell(),
                                config.layers(),
                                config.hiddenSize(),
                                config.inputFeatures(),
                                config.dropout(),
                                config.bidirectional()));
        this.head =
                addChildBlock(
                        "head",
                        Linear.builder()
                                .setUnits((long) config.horizon() * config.targets())
                                .build());
        if (config.linearSkip()) {
            UniformInitializer init =
                    new UniformInitializer((float) (1.0 / Math.sqrt(config.window())));
            skipWeight =
                    addParameter(
                            Parameter.builder()
                                    .setName("skip_weight")
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(
                                            new Shape(
                                                    config.targets(),
                                                    skipInputs(config),
                                                    config.horizon()))
                                    .optInitializer(init)
                                    .build());
            skipBias =
                    addParameter(
                            Parameter.builder()
                                    .setName("skip_bias")
                                    .setType(Parameter.Type.BIAS)
                                    .optShape(new Shape(config.targets(), config.horizon()))
                                    .build());
        } else {
            skipWeight = null;
            skipBias = null;
        }
    }

    public NetworkConfig config() {
        return config;
    }

    /**
     * What the linear skip path reads per target: its own window, then the newest {@link
     * NetworkConfig#skipRecentSteps()} steps of every feature, step by step (row-major as the
     * input).
     */
    public static int skipInputs(NetworkConfig config) {
        return config.window() + config.skipRecentSteps() * config.inputFeatures();
    }

    public BiRecurrentBlock recurrent() {
        return recurrent;
    }

    /** The head: {@code directions × hidden} joined states to {@code horizon × targets}. */
    public Linear head() {
        return head;
    }

    /**
     * The linear skip path's weight {@code (targets, skipInputs, horizon)} and bias {@code
     * (targets, horizon)}; empty without {@link NetworkConfig#linearSkip()}.
     */
    public java.util.List<Parameter> skipParameters() {
        return skipWeight == null ? java.util.List.of() : java.util.List.of(skipWeight, skipBias);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        long batch = x.getShape().get(0);
        NDArray anchor = null; // (batch, 1, targets): each target's last value
        if (config.windowNormalization()) {
            NDArray last = x.get(lastStep);
            anchor = targetSeries(last).transpose(0, 2, 1);
            x = x.sub(last);
        }
        NDArray finalStates =
                recurrent.forward(parameterStore, new NDList(x), training, params).get(1);
        int directions = config.directions();
        NDArray top = finalStates.get(topLayer);
        NDArray joined =
                top.transpose(1, 0, 2).reshape(batch, (long) directions * config.hiddenSize());
        NDArray y =
                head.forward(parameterStore, new NDList(joined), training)
                        .head()
                        .reshape(batch, config.horizon(), config.targets());
        if (skipWeight != null) {
            y = y.add(skip(parameterStore, x, training));
        }
        if (anchor != null) {
            y = y.add(anchor);
        }
        return new NDList(y);
    }

    /**
     * The target features of {@code x} {@code (batch, steps, features)} as {@code (batch, targets,
     * steps)}.
     */
    private NDArray targetSeries(NDArray x) {
        if (targetColumns.length == 1) {
            return x.get(targetColumns[0]).expandDims(1);
        }
        NDList columns = new NDList(targetColumns.length);
        for (NDIndex column : targetColumns) {
            columns.add(x.get(column));
        }
        return NDArrays.stack(columns, 1);
    }

    private NDArray skip(ParameterStore parameterStore, NDArray x, boolean training) {
        Device device = x.getDevice();
        NDArray w = parameterStore.getValue(skipWeight, device, training); // (targets, I, H)
        NDArray b = parameterStore.getValue(skipBias, device, training); // (targets, H)
        NDArray series = targetSeries(x); // (batch, targets, window)
        int recent = config.skipRecentSteps();
        if (recent > 0) {
            // every target also reads the newest steps of every feature: (batch, targets, k × F)
            long batch = x.getShape().get(0);
            NDArray tail =
                    x.get(recentSteps).reshape(batch, 1, (long) recent * config.inputFeatures());
            if (config.targets() > 1) {
                tail = tail.broadcast(batch, config.targets(), tail.getShape().get(2));
            }
            series = series.concat(tail, 2);
        }
        NDArray projected = series.expandDims(2).matMul(w).squeeze(2).add(b); // (batch, T, H)
        return projected.transpose(0, 2, 1);
    }

    /**
     * Sets the linear skip path to the least-squares fit of each target's (normalised) window, and
     * the newest steps of every feature it reads, to its horizon on {@code train}, and zeroes the
     * recurrent head, so that training starts from the best linear forecaster and the recurrent
     * path learns what it misses. Parameters must be initialised.
     */
    public void warmStartLinearSkip(WindowedSeries train) {
        if (skipWeight == null) {
            throw new IllegalStateException("the network has no linear skip path");
        }
        int window = config.window();
        int horizon = config.horizon();
        int[] targets = config.targetIndices();
        int features = config.inputFeatures();
        int recent = config.skipRecentSteps();
        int inputs = skipInputs(config);
        float[] weights = new float[targets.length * inputs * horizon];
        float[] biases = new float[targets.length * horizon];
        float[] x = new float[inputs];
        float[] y = new float[horizon];
        for (int k = 0; k < targets.length; k++) {
            LeastSquares ls = new LeastSquares(inputs, horizon);
            for (int i = 0; i < train.size(); i++) {
                float last =
                        config.windowNormalization() ? train.input(i, window - 1, targets[k]) : 0f;
                for (int s = 0; s < window; s++) {
                    x[s] = train.input(i, s, targets[k]) - last;
                }
                for (int f = 0; f < features; f++) {
                    float shift = config.windowNormalization() ? train.input(i, window - 1, f) : 0f;
                    for (int s = 0; s < recent; s++) {
                        x[window + s * features + f] =
                                train.input(i, window - recent + s, f) - shift;
                    }
                }
                for (int h = 0; h < horizon; h++) {
                    y[h] = train.label(i, h, k) - last;
                }
                ls.add(x, y);
            }
            double[][] beta = ls.solve();
            for (int s = 0; s < inputs; s++) {
                for (int h = 0; h < horizon; h++) {
                    weights[(k * inputs + s) * horizon + h] = (float) beta[s][h];
                }
            }
            for (int h = 0; h < horizon; h++) {
                biases[k * horizon + h] = (float) beta[inputs][h];
            }
        }
        skipWeight.getArray().set(weights);
        skipBias.getArray().set(biases);
        for (Pair<String, Parameter> p : head.getParameters()) {
            NDArray array = p.getValue().getArray();
            array.set(new float[(int) array.size()]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.horizon(), config.targets())};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        Shape in = inputShapes[0];
        if (in.dimension() != 3
                || in.get(1) != config.window()
                || in.get(2) != config.inputFeatures()) {
            throw new IllegalArgumentException(
                    "input shape must be (batch, "
                            + config.window()
                            + ", "
                            + config.inputFeatures()
                            + "), got "
                            + in);
        }
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        recurrent.initialize(manager, dataType, inputShapes);
        long batch = inputShapes[0].get(0);
        head.initialize(
                manager,
                dataType,
                new Shape(batch, (long) config.directions() * config.hiddenSize()));
    }
}
