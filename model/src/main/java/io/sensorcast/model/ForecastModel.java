package io.sensorcast.model;

import ai.djl.Model;
import io.sensorcast.model.artifact.ModelManifest;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.evaluation.NetworkForecaster;
import io.sensorcast.model.serving.ServingNetwork;
import io.sensorcast.model.serving.TorchNetwork;

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

    /** The network {@link #predict} runs, on its engine. */
    public ServingNetwork serving() {
        return serving;
    }

    /** A standardised-scale {@link NetworkForecaster} over this model, for evaluation. */
    public NetworkForecaster forecaster(int batchSize) {
        return new NetworkForecaster("model", block, model.getNDManager(), batchSize);
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
