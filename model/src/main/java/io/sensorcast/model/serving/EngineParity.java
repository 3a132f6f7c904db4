package io.sensorcast.model.serving;

import io.sensorcast.model.block.NetworkConfig;
import java.util.SplittableRandom;

/**
 * The check a model passes before another engine serves it: both engines forecast the same probe
 * batch, and they must agree within {@value #TOLERANCE} (relative to the forecast where it exceeds
 * 1 in magnitude) on every value. float32 rounding differs between them by about 1e-7 here; a wrong
 * export or kernel by far more. Non-finite forecasts agree only where both engines make the same
 * one: a model with NaN weights is not a disagreement of the engines (serving replaces its
 * forecasts with persistence either way).
 */
public final class EngineParity {

    public static final double TOLERANCE = 1e-5;

    /** Windows in the probe batch: a batch larger than one exercises the batched kernels. */
    static final int PROBE_WINDOWS = 16;

    private EngineParity() {}

    /**
     * The largest difference between {@code reference}'s and {@code candidate}'s forecasts of a
     * fixed probe batch (random walks on the standardised scale), relative where |forecast| > 1.
     * NaN when only one of them forecasts a value that is not finite, or their shapes differ.
     */
    public static double difference(
            ServingNetwork reference, ServingNetwork candidate, NetworkConfig config) {
        float[] probe = probe(config.window(), config.inputFeatures());
        float[] a = reference.forward(probe, PROBE_WINDOWS);
        float[] b = candidate.forward(probe, PROBE_WINDOWS);
        if (a.length != b.length) {
            return Double.NaN;
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i]) || !Float.isFinite(b[i])) {
                if (Float.compare(a[i], b[i]) != 0) {
                    return Double.NaN;
                }
                continue;
            }
            double d = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i]));
            if (Double.isNaN(d)) {
                return d;
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }

    /** {@value #PROBE_WINDOWS} windows of unit-step random walks, the same every time. */
    static float[] probe(int window, int features) {
        SplittableRandom random = new SplittableRandom(20261202L);
        float[] x = new float[PROBE_WINDOWS * window * features];
        for (int n = 0; n < PROBE_WINDOWS; n++) {
            for (int f = 0; f < features; f++) {
                double level = random.nextDouble(-2, 2);
                for (int s = 0; s < window; s++) {
                    level += random.nextDouble(-0.5, 0.5);
                    x[(n * window + s) * features + f] = (float) level;
                }
            }
        }
        return x;
    }
}
