package io.sensorcast.model.block;

import java.util.List;

/**
 * The recurrent equations written out in plain Java, in double precision, to check the fused op
 * against: the block's tests, and the engine's known-answer self-check at start-up ({@code
 * engine.RecurrentSelfCheck}), which refuses a libtorch whose kernel disagrees with them.
 *
 * <p>LSTM: {@code f_t = σ(W_f·[x_t, h_{t-1}] + b_f)}, {@code i_t = σ(…)}, {@code C~_t = tanh(…)},
 * {@code o_t = σ(…)}, {@code C_t = f_t*C_{t-1} + i_t*C~_t}, {@code h_t = o_t*tanh(C_t)}. GRU:
 * {@code r_t = σ(…)}, {@code z_t = σ(…)}, {@code h~_t = tanh(W_in x_t + b_in + r_t*(W_hn h_{t-1} +
 * b_hn))}, {@code h_t = (1-z_t)*h~_t + z_t*h_{t-1}}. Weights come in torch's flat order (per layer,
 * per direction: w_ih, w_hh, b_ih, b_hh) with gate rows i, f, g, o (LSTM) and r, z, n (GRU).
 */
public final class ReferenceRecurrent {

    /** The top layer's sequence output and every layer's and direction's final hidden state. */
    public record Result(double[][][] sequence, double[][][] finalHidden) {}

    private ReferenceRecurrent() {}

    /**
     * @param x input {@code [batch][time][features]}
     * @param flat flattened weights in torch's order, each row-major
     */
    public static Result run(
            Cell cell,
            int layers,
            int hidden,
            boolean bidirectional,
            List<float[]> flat,
            double[][][] x) {
        int batch = x.length;
        int time = x[0].length;
        int directions = bidirectional ? 2 : 1;
        double[][][] finalHidden = new double[layers * directions][batch][];
        double[][][] layerInput = x;
        for (int layer = 0; layer < layers; layer++) {
            int inSize = layerInput[0][0].length;
            double[][][] next = new double[batch][time][hidden * directions];
            for (int d = 0; d < directions; d++) {
                int base = (layer * directions + d) * 4;
                float[] wIh = flat.get(base);
                float[] wHh = flat.get(base + 1);
                float[] bIh = flat.get(base + 2);
                float[] bHh = flat.get(base + 3);
                for (int b = 0; b < batch; b++) {
                    double[] h = new double[hidden];
                    double[] c = new double[hidden];
                    for (int s = 0; s < time; s++) {
                        int t = d == 0 ? s : time - 1 - s;
                        double[] xi = affine(wIh, bIh, layerInput[b][t], inSize, cell, hidden);
                        double[] hh = affine(wHh, bHh, h, hidden, cell, hidden);
                        if (cell == Cell.LSTM) {
                            for (int j = 0; j < hidden; j++) {
                                double iGate = sigmoid(xi[j] + hh[j]);
                                double fGate = sigmoid(xi[hidden + j] + hh[hidden + j]);
                                double candidate =
                                        Math.tanh(xi[2 * hidden + j] + hh[2 * hidden + j]);
                                double oGate = sigmoid(xi[3 * hidden + j] + hh[3 * hidden + j]);
                                c[j] = fGate * c[j] + iGate * candidate;
                                h[j] = oGate * Math.tanh(c[j]);
                            }
                        } else {
                            double[] updated = new double[hidden];
                            for (int j = 0; j < hidden; j++) {
                                double r = sigmoid(xi[j] + hh[j]);
                                double z = sigmoid(xi[hidden + j] + hh[hidden + j]);
                                double n = Math.tanh(xi[2 * hidden + j] + r * hh[2 * hidden + j]);
                                updated[j] = (1 - z) * n + z * h[j];
                            }
                            h = updated;
                        }
                        System.arraycopy(h, 0, next[b][t], d * hidden, hidden);
                    }
                    finalHidden[layer * directions + d][b] = h.clone();
                }
            }
            layerInput = next;
        }
        return new Result(layerInput, finalHidden);
    }

    /** {@code W·v + b} for a weight with {@code gates × hidden} rows and {@code in} columns. */
    private static double[] affine(float[] w, float[] bias, double[] v, int in, Cell cell, int h) {
        int rows = cell.gates() * h;
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = bias[r];
            for (int k = 0; k < in; k++) {
                sum += w[r * in + k] * v[k];
            }
            out[r] = sum;
        }
        return out;
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
