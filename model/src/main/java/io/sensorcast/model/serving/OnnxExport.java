package io.sensorcast.model.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.sensorcast.model.block.BiRecurrentBlock;
import io.sensorcast.model.block.Cell;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.serving.OnnxGraph.Attribute;
import java.util.List;

/**
 * Writes a {@link ForecastBlock} as an ONNX graph that computes the same function: window
 * normalisation, the stacked (bidirectional) LSTM or GRU as ONNX's own {@code LSTM}/{@code GRU}
 * ops, the joined final states, the head and the linear skip path.
 *
 * <p>Input {@value #INPUT} {@code (batch, window, features)} and output {@value #OUTPUT} {@code
 * (batch, horizon, targets)}, both standardised, exactly as the block's. Torch and ONNX order the
 * gates differently (LSTM: torch {@code i, f, g, o}, ONNX {@code i, o, f, c}; GRU: torch {@code r,
 * z, n}, ONNX {@code z, r, h}), so the gate blocks are reordered; torch's GRU applies the reset
 * gate after the hidden projection, ONNX's {@code linear_before_reset=1}. Whether the result
 * matches is not taken on trust: {@link ServingNetwork} compares both engines before a model
 * serves.
 */
public final class OnnxExport {

    public static final String INPUT = "windows";
    public static final String OUTPUT = "forecasts";

    /** Opset 17: Slice/Squeeze/Unsqueeze take their axes as inputs (13+), LSTM layout (14+). */
    private static final int OPSET = 17;

    private static final int[] LSTM_GATES_FROM_TORCH = {0, 3, 1, 2}; // i o f c <- i f g o
    private static final int[] GRU_GATES_FROM_TORCH = {1, 0, 2}; // z r h <- r z n

    private OnnxExport() {}

    /** The ONNX model of {@code block}'s current parameters, as protobuf bytes. */
    public static byte[] export(ForecastBlock block) {
        NetworkConfig c = block.config();
        OnnxGraph g = new OnnxGraph(OPSET);
        g.input(INPUT, -1, c.window(), c.inputFeatures());
        long[] targets = new long[c.targets()];
        for (int k = 0; k < targets.length; k++) {
            targets[k] = c.targetIndices()[k];
        }
        String x = INPUT;
        String anchor = null;
        if (c.windowNormalization()) {
            String last =
                    g.op(
                            "Slice",
                            new String[] {
                                x,
                                g.longs("start", c.window() - 1),
                                g.longs("end", c.window()),
                                g.longs("axes", 1)
                            });
            anchor = gather(g, last, targets); // (batch, 1, targets)
            x = g.op("Sub", new String[] {x, last});
        }
        String finalStates = recurrent(g, block.recurrent(), x);
        String y = head(g, block, finalStates);
        if (!block.skipParameters().isEmpty()) {
            y = g.op("Add", new String[] {y, skip(g, block, x, targets)});
        }
        if (anchor != null) {
            y = g.op("Add", new String[] {y, anchor});
        }
        g.alias(y, OUTPUT);
        g.output(OUTPUT, -1, c.horizon(), c.targets());
        return g.toBytes("sensorcast_forecast");
    }

    /** The linear head over the top layer's final states: {@code (batch, horizon, targets)}. */
    private static String head(OnnxGraph g, ForecastBlock block, String finalStates) {
        NetworkConfig c = block.config();
        int joinedWidth = c.directions() * c.hiddenSize();
        String joined =
                g.op(
                        "Reshape",
                        new String[] {
                            g.op("Transpose", new String[] {finalStates}, perm(1, 0, 2)),
                            g.longs("shape", -1, joinedWidth)
                        });
        PairList<String, Parameter> head = block.head().getParameters();
        String y =
                g.op(
                        "Gemm",
                        new String[] {
                            joined,
                            constant(g, head.get("weight").getArray()),
                            constant(g, head.get("bias").getArray())
                        },
                        Attribute.of("transB", 1));
        return g.op("Reshape", new String[] {y, g.longs("shape", 0, c.horizon(), c.targets())});
    }

    /**
     * The skip path over the window {@code x}: one linear map per target of its series (and of the
     * newest steps of every feature), {@code (batch, horizon, targets)}.
     */
    private static String skip(OnnxGraph g, ForecastBlock block, String x, long[] targets) {
        NetworkConfig c = block.config();
        List<Parameter> skip = block.skipParameters();
        // (targets, batch, window) x (targets, window, horizon): one GEMM per target
        String series = g.op("Transpose", new String[] {gather(g, x, targets)}, perm(2, 0, 1));
        int recent = c.skipRecentSteps();
        if (recent > 0) {
            // and the newest steps of every feature, (1, batch, k × F) expanded to each target
            String tail =
                    g.op(
                            "Slice",
                            new String[] {
                                x,
                                g.longs("start", c.window() - recent),
                                g.longs("end", c.window()),
                                g.longs("axes", 1)
                            });
            tail =
                    g.op(
                            "Reshape",
                            new String[] {
                                tail, g.longs("shape", 1, -1, (long) recent * c.inputFeatures())
                            });
            tail = g.op("Expand", new String[] {tail, g.longs("shape", c.targets(), 1, 1)});
            series = g.op("Concat", new String[] {series, tail}, Attribute.of("axis", 2));
        }
        String projected =
                g.op("MatMul", new String[] {series, constant(g, skip.get(0).getArray())});
        float[] bias = skip.get(1).getArray().toFloatArray();
        projected =
                g.op(
                        "Add",
                        new String[] {
                            projected, g.floats("skip_bias", bias, c.targets(), 1, c.horizon())
                        });
        return g.op("Transpose", new String[] {projected}, perm(1, 2, 0));
    }

    /**
     * The recurrent stack over {@code x} {@code (batch, time, features)}; returns the top layer's
     * final states {@code (directions, batch, hidden)}.
     */
    private static String recurrent(OnnxGraph g, BiRecurrentBlock block, String x) {
        Cell cell = block.cell();
        int directions = block.directions();
        int hidden = block.hiddenSize();
        List<Parameter> flat = block.flatWeights();
        String sequence = g.op("Transpose", new String[] {x}, perm(1, 0, 2)); // (time, batch, f)
        String finalStates = null;
        for (int layer = 0; layer < block.layers(); layer++) {
            float[][] w = new float[directions][];
            float[][] r = new float[directions][];
            float[][] b = new float[directions][];
            long inputs = 0;
            for (int d = 0; d < directions; d++) {
                int at = (layer * directions + d) * 4;
                NDArray wih = flat.get(at).getArray();
                inputs = wih.getShape().get(1);
                w[d] = reorderGates(cell, wih.toFloatArray(), hidden);
                r[d] = reorderGates(cell, flat.get(at + 1).getArray().toFloatArray(), hidden);
                b[d] =
                        concat(
                                reorderGates(
                                        cell, flat.get(at + 2).getArray().toFloatArray(), hidden),
                                reorderGates(
                                        cell, flat.get(at + 3).getArray().toFloatArray(), hidden));
            }
            long rows = (long) cell.gates() * hidden;
            String[] in = {
                sequence,
                g.floats("w", concat(w), directions, rows, inputs),
                g.floats("r", concat(r), directions, rows, hidden),
                g.floats("b", concat(b), directions, 2 * rows)
            };
            Attribute size = Attribute.of("hidden_size", hidden);
            Attribute direction =
                    Attribute.of("direction", directions == 2 ? "bidirectional" : "forward");
            String[] out =
                    cell == Cell.LSTM
                            ? g.node("LSTM", in, 2, size, direction)
                            : g.node(
                                    "GRU",
                                    in,
                                    2,
                                    size,
                                    direction,
                                    Attribute.of("linear_before_reset", 1));
            // out[0]: (time, directions, batch, hidden); out[1]: (directions, batch, hidden)
            finalStates = out[1];
            if (layer + 1 < block.layers()) {
                sequence =
                        g.op(
                                "Reshape",
                                new String[] {
                                    g.op("Transpose", new String[] {out[0]}, perm(0, 2, 1, 3)),
                                    g.longs("shape", 0, 0, (long) directions * hidden)
                                });
            }
        }
        return finalStates;
    }

    /** {@code x}'s target columns along its last axis. */
    private static String gather(OnnxGraph g, String x, long[] targets) {
        return g.op(
                "Gather", new String[] {x, g.longs("targets", targets)}, Attribute.of("axis", 2));
    }

    private static String constant(OnnxGraph g, NDArray array) {
        return g.floats("p", array.toFloatArray(), array.getShape().getShape());
    }

    private static Attribute perm(long... axes) {
        return Attribute.ints("perm", axes);
    }

    /** Reorders the {@code hidden}-row gate blocks of a torch weight or bias into ONNX's order. */
    static float[] reorderGates(Cell cell, float[] torch, int hidden) {
        int[] order = cell == Cell.LSTM ? LSTM_GATES_FROM_TORCH : GRU_GATES_FROM_TORCH;
        int block = torch.length / order.length;
        if (block * order.length != torch.length || block % hidden != 0) {
            throw new IllegalArgumentException(
                    torch.length + " values are not " + order.length + " gates of " + hidden);
        }
        float[] onnx = new float[torch.length];
        for (int gate = 0; gate < order.length; gate++) {
            System.arraycopy(torch, order[gate] * block, onnx, gate * block, block);
        }
        return onnx;
    }

    private static float[] concat(float[]... parts) {
        int size = 0;
        for (float[] p : parts) {
            size += p.length;
        }
        float[] all = new float[size];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
