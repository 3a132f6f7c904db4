package io.sensorcast.model;

import ai.djl.Model;
import ai.onnxruntime.OrtException;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.manifest.IncompatibleModelException;
import io.sensorcast.model.manifest.ModelManifest;
import io.sensorcast.model.serving.EngineParity;
import io.sensorcast.model.serving.OnnxExport;
import io.sensorcast.model.serving.OrtNetwork;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.model.serving.ServingNetwork;
import io.sensorcast.model.serving.TorchNetwork;
import java.util.Arrays;
import java.util.List;

/**
 * A loaded model, ready to forecast raw readings: scales the inputs with the training statistics,
 * runs the network on its serving engine (libtorch, or ONNX Runtime over the model's ONNX export),
 * and returns forecasts in original units. The libtorch block stays loaded for evaluation.
 *
 * <p>Safe for concurrent {@link #predict} calls. Owns native memory: close it when done.
 */
public final class ForecastModel implements AutoCloseable {

    private final Model model;
    private final ForecastBlock block;
    private final ModelManifest manifest;
    private final ServingNetwork serving;
    private final int[] targetColumns;

    /** A model served by libtorch. */
    public ForecastModel(Model model, ForecastBlock block, ModelManifest manifest) {
        this(model, block, manifest, new TorchNetwork(block, model.getNDManager()));
    }

    /** A model whose forecasts come from {@code serving}; closing the model closes it. */
    public ForecastModel(
            Model model, ForecastBlock block, ModelManifest manifest, ServingNetwork serving) {
        this.model = model;
        this.block = block;
        this.manifest = manifest;
        this.serving = serving;
        this.targetColumns = manifest.network().targetIndices();
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public ForecastBlock block() {
        return block;
    }

    /**
     * This model served by {@code network} instead of its libtorch block. The returned model takes
     * over this one's native resources: close it, not this one.
     */
    public ForecastModel servedBy(ServingNetwork network) {
        return new ForecastModel(model, block, manifest, network);
    }

    /**
     * This model on {@code engine}: itself where that is libtorch; for ONNX Runtime its network
     * exported to ONNX, served only if both engines forecast a probe batch alike ({@link
     * EngineParity}). The returned model takes over this one's native resources; if ONNX Runtime is
     * refused, this model is closed and the exception says why.
     */
    public ForecastModel servedOn(ServingEngine engine) throws IncompatibleModelException {
        if (engine.resolve(DjlRuntime.engine().getGpuCount()) != ServingEngine.ONNXRUNTIME) {
            return this;
        }
        try {
            return servedBy(onnxRuntime());
        } catch (IncompatibleModelException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The network on ONNX Runtime, if it forecasts the probe batch as libtorch does. */
    private ServingNetwork onnxRuntime() throws IncompatibleModelException {
        NetworkConfig network = manifest.network();
        OrtNetwork ort;
        try {
            ort =
                    OrtNetwork.load(
                            OnnxExport.export(block), network, DjlRuntime.facts().intraOpThreads());
        } catch (OrtException e) {
            throw new IncompatibleModelException(
                    "serving engine", "a network ONNX Runtime can load", e.getMessage());
        }
        double difference;
        try {
            difference = EngineParity.difference(serving, ort, network);
        } catch (RuntimeException e) {
            ort.close();
            throw e;
        }
        if (!(difference <= EngineParity.TOLERANCE)) {
            ort.close();
            throw new IncompatibleModelException(
                    "serving engine",
                    "ONNX Runtime forecasts within " + EngineParity.TOLERANCE + " of libtorch's",
                    String.format(
                            java.util.Locale.ROOT,
                            "a difference of %.3g on the probe batch",
                            difference));
        }
        return ort;
    }

    /** The network {@link #predict} runs, on its engine. */
    public ServingNetwork serving() {
        return serving;
    }

    /** The manager of the model's native memory, under which evaluation runs its passes. */
    public ai.djl.ndarray.NDManager manager() {
        return model.getNDManager();
    }

    /**
     * Forecasts each window in original units, the model's input contract: the model reads its
     * features by name from the newest {@code window} steps and returns, per window, {@code
     * (horizon, targets)} row-major with targets in manifest order — or null for a window it cannot
     * read (fewer steps than its window, or a feature missing; a one-column window serves a
     * one-feature model whatever its column is called). One forward pass for all readable windows.
     */
    public float[][] forecast(List<? extends ReadingWindow> windows) {
        int w = manifest.window();
        int f = manifest.features().size();
        int[][] columns = new int[windows.size()][];
        int readable = 0;
        for (int i = 0; i < windows.size(); i++) {
            ReadingWindow win = windows.get(i);
            columns[i] = win.steps() >= w ? columnsOf(win) : null;
            readable += columns[i] != null ? 1 : 0;
        }
        float[][] out = new float[windows.size()][];
        if (readable == 0) {
            return out;
        }
        float[] input = new float[readable * w * f];
        int k = 0;
        for (int i = 0; i < windows.size(); i++) {
            if (columns[i] != null) {
                ReadingWindow win = windows.get(i);
                int first = win.steps() - w;
                for (int s = 0; s < w; s++) {
                    for (int c = 0; c < f; c++) {
                        input[(k * w + s) * f + c] = (float) win.value(first + s, columns[i][c]);
                    }
                }
                k++;
            }
        }
        float[] predicted = predict(input, readable);
        int per = manifest.horizon() * manifest.targets().size();
        k = 0;
        for (int i = 0; i < windows.size(); i++) {
            if (columns[i] != null) {
                out[i] = Arrays.copyOfRange(predicted, k * per, (k + 1) * per);
                k++;
            }
        }
        return out;
    }

    /**
     * For each feature of the model, its column in {@code win}; null when one is missing. A window
     * of one reading column serves a model of one reading column whatever the two are called, and
     * the column's seasonal channels ({@link SeasonalChannels}) likewise.
     */
    private int[] columnsOf(ReadingWindow win) {
        ColumnMap last = lastColumns; // windows of one fleet mostly share their columns
        if (last != null && last.matches(win)) {
            return last.columns();
        }
        String[] names = new String[win.columns()];
        for (int j = 0; j < names.length; j++) {
            names[j] = win.column(j);
        }
        int[] cols = match(win);
        lastColumns = new ColumnMap(names, cols);
        return cols;
    }

    /** The last window columns matched, and the match (null: unreadable). */
    private record ColumnMap(String[] names, int[] columns) {
        /** Whether {@code win} has these columns, in this order. */
        boolean matches(ReadingWindow win) {
            if (win.columns() != names.length) {
                return false;
            }
            for (int j = 0; j < names.length; j++) {
                if (!names[j].equals(win.column(j))) {
                    return false;
                }
            }
            return true;
        }
    }

    private volatile ColumnMap lastColumns;

    private int[] match(ReadingWindow win) {
        List<String> features = manifest.features();
        String ours = soleReadingColumn(features.size(), features::get);
        String theirs = soleReadingColumn(win.columns(), win::column);
        int[] cols = new int[features.size()];
        for (int c = 0; c < cols.length; c++) {
            String wanted = features.get(c);
            if (ours != null
                    && theirs != null
                    && (wanted.equals(ours)
                            || wanted.startsWith(ours + SeasonalChannels.SEPARATOR))) {
                wanted = theirs + wanted.substring(ours.length());
            }
            cols[c] = -1;
            for (int j = 0; j < win.columns() && cols[c] < 0; j++) {
                if (win.column(j).equals(wanted)) {
                    cols[c] = j;
                }
            }
            if (cols[c] < 0) {
                return null;
            }
        }
        return cols;
    }

    /** The one name of {@code n} that is not a seasonal channel's, or null when not exactly one. */
    private static String soleReadingColumn(int n, java.util.function.IntFunction<String> name) {
        String sole = null;
        for (int i = 0; i < n; i++) {
            if (!SeasonalChannels.isChannel(name.apply(i))) {
                if (sole != null) {
                    return null;
                }
                sole = name.apply(i);
            }
        }
        return sole;
    }

    /**
     * Forecasts {@code n} windows.
     *
     * @param windows {@code (n, window, features)} row-major, original units, features in manifest
     *     order
     * @return {@code (n, horizon, targets)} row-major, original units
     */
    public float[] predict(float[] windows, int n) {
        int w = manifest.window();
        int f = manifest.features().size();
        if (windows.length != n * w * f) {
            throw new IllegalArgumentException(
                    "expected " + n + " × " + w + " × " + f + " values, got " + windows.length);
        }
        Standardizer scaler = manifest.scaler();
        float[] scaled = new float[windows.length];
        for (int i = 0; i < windows.length; i++) {
            scaled[i] = (float) scaler.scale(i % f, windows[i]);
        }
        float[] out = serving.forward(scaled, n);
        int t = targetColumns.length;
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) scaler.unscale(targetColumns[i % t], out[i]);
        }
        return out;
    }

    @Override
    public void close() {
        serving.close();
        model.close();
    }
}
