package io.sensorcast.model.evaluation;

import io.sensorcast.model.dataset.WindowedSeries;
import io.sensorcast.model.math.LeastSquares;

/**
 * Least squares from the whole window (every feature, every step, plus an intercept) to each
 * horizon step of each target, in closed form. Strong on smooth, seasonal data; the model to beat.
 */
public final class LinearForecaster implements Forecaster {

    private final double[][] coefficients; // [inputs + 1][outputs], intercept last

    private LinearForecaster(double[][] coefficients) {
        this.coefficients = coefficients;
    }

    /** Fits on {@code train}'s windows. */
    public static LinearForecaster fit(WindowedSeries train) {
        int d = train.inputStride();
        if (train.size() < d + 1) {
            throw new IllegalArgumentException(
                    "linear baseline needs at least "
                            + (d + 1)
                            + " training windows, got "
                            + train.size());
        }
        LeastSquares ls = new LeastSquares(d, train.labelStride());
        int[] all = train.allIndices();
        for (int i = 0; i < train.size(); i++) {
            ls.add(train.gatherInputs(all, i, i + 1), train.gatherLabels(all, i, i + 1));
        }
        return new LinearForecaster(ls.solve());
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public float[] predict(WindowedSeries w) {
        int d = w.inputStride();
        int m = w.labelStride();
        float[] out = new float[w.size() * m];
        int[] all = w.allIndices();
        for (int i = 0; i < w.size(); i++) {
            float[] x = w.gatherInputs(all, i, i + 1);
            for (int k = 0; k < m; k++) {
                double sum = coefficients[d][k];
                for (int a = 0; a < d; a++) {
                    sum += x[a] * coefficients[a][k];
                }
                out[i * m + k] = (float) sum;
            }
        }
        return out;
    }
}
