package io.sensorcast.model.dataset;

import java.util.Arrays;
import java.util.List;

/**
 * Sliding windows over one or more standardised series, ready to batch: inputs {@code (n, window,
 * features)} and targets {@code (n, horizon, targets)}, both row-major in flat float arrays.
 *
 * <p>Window {@code i} predicts rows {@code [origin(i), origin(i) + horizon)} from rows {@code
 * [origin(i) − window, origin(i))}. Windows never span two series.
 */
public final class WindowedSeries {

    private final int window;
    private final int horizon;
    private final int features;
    private final int targets;
    private final float[] inputs;
    private final float[] labels;
    private final int[] origins;

    private WindowedSeries(
            int window,
            int horizon,
            int features,
            int targets,
            float[] inputs,
            float[] labels,
            int[] origins) {
        this.window = window;
        this.horizon = horizon;
        this.features = features;
        this.targets = targets;
        this.inputs = inputs;
        this.labels = labels;
        this.origins = origins;
    }

    /**
     * Windows of {@code table} whose target rows lie in {@code period}.
     *
     * @param table the input features, in model order
     * @param targetIndices which of the table's columns are forecast
     * @param scaler statistics of the training rows, one per table column
     */
    public static WindowedSeries of(
            TimeSeriesTable table,
            int[] targetIndices,
            Standardizer scaler,
            WindowSpec spec,
            TimeSplit.Period period) {
        int f = table.columns().size();
        if (scaler.columns() != f) {
            throw new IllegalArgumentException(
                    "scaler has " + scaler.columns() + " columns, table has " + f);
        }
        int w = spec.window();
        int h = spec.horizon();
        int first = Math.max(period.from(), w);
        int last = Math.min(period.to(), table.rows()) - h; // last origin, inclusive
        int n = last < first ? 0 : (last - first) / spec.stride() + 1;
        int t = targetIndices.length;
        float[] inputs = new float[n * w * f];
        float[] labels = new float[n * h * t];
        int[] origins = new int[n];
        // Scale each column once, then copy windows out of it.
        float[][] scaled = new float[f][table.rows()];
        for (int c = 0; c < f; c++) {
            for (int r = 0; r < table.rows(); r++) {
                scaled[c][r] = (float) scaler.scale(c, table.value(c, r));
            }
        }
        for (int i = 0; i < n; i++) {
            int origin = first + i * spec.stride();
            origins[i] = origin;
            int in = i * w * f;
            for (int s = 0; s < w; s++) {
                for (int c = 0; c < f; c++) {
                    inputs[in++] = scaled[c][origin - w + s];
                }
            }
            int out = i * h * t;
            for (int s = 0; s < h; s++) {
                for (int k = 0; k < t; k++) {
                    labels[out++] = scaled[targetIndices[k]][origin + s];
                }
            }
        }
        return new WindowedSeries(w, h, f, t, inputs, labels, origins);
    }

    /** All windows of several series, in the order given; window shapes must agree. */
    public static WindowedSeries concat(List<WindowedSeries> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        WindowedSeries head = parts.get(0);
        int n = 0;
        for (WindowedSeries p : parts) {
            if (p.window != head.window
                    || p.horizon != head.horizon
                    || p.features != head.features
                    || p.targets != head.targets) {
                throw new IllegalArgumentException("window shapes differ between series");
            }
            n += p.size();
        }
        float[] inputs = new float[n * head.window * head.features];
        float[] labels = new float[n * head.horizon * head.targets];
        int[] origins = new int[n];
        int i = 0;
        for (WindowedSeries p : parts) {
            System.arraycopy(p.inputs, 0, inputs, i * p.inputStride(), p.inputs.length);
            System.arraycopy(p.labels, 0, labels, i * p.labelStride(), p.labels.length);
            System.arraycopy(p.origins, 0, origins, i, p.origins.length);
            i += p.size();
        }
        return new WindowedSeries(
                head.window, head.horizon, head.features, head.targets, inputs, labels, origins);
    }

    public int size() {
        return origins.length;
    }

    public int window() {
        return window;
    }

    public int horizon() {
        return horizon;
    }

    public int features() {
        return features;
    }

    public int targets() {
        return targets;
    }

    /** Floats per window of input: {@code window × features}. */
    public int inputStride() {
        return window * features;
    }

    /** Floats per window of target: {@code horizon × targets}. */
    public int labelStride() {
        return horizon * targets;
    }

    /** Row index (in its series) of window {@code i}'s first target row. */
    public int origin(int i) {
        return origins[i];
    }

    public float input(int i, int step, int feature) {
        return inputs[i * inputStride() + step * features + feature];
    }

    public float label(int i, int step, int target) {
        return labels[i * labelStride() + step * targets + target];
    }

    /** Inputs of the windows at {@code indices}, flat, for one batch. */
    public float[] gatherInputs(int[] indices, int from, int to) {
        return gather(inputs, inputStride(), indices, from, to);
    }

    /** Targets of the windows at {@code indices}, flat, for one batch. */
    public float[] gatherLabels(int[] indices, int from, int to) {
        return gather(labels, labelStride(), indices, from, to);
    }

    private static float[] gather(float[] src, int stride, int[] indices, int from, int to) {
        float[] out = new float[(to - from) * stride];
        for (int i = from; i < to; i++) {
            System.arraycopy(src, indices[i] * stride, out, (i - from) * stride, stride);
        }
        return out;
    }

    /** Indices {@code 0..size-1}, in order. */
    public int[] allIndices() {
        int[] idx = new int[size()];
        Arrays.setAll(idx, i -> i);
        return idx;
    }
}
