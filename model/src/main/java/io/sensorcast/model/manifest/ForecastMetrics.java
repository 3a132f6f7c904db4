package io.sensorcast.model.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.dataset.WindowedSeries;

/**
 * Forecast errors over every window, horizon step and target: MSE and MAE on the standardised scale
 * (comparable across series), MAE, RMSE and sMAPE (percent, 0–200) in original units.
 */
public record ForecastMetrics(
        @JsonProperty("mse") double mse,
        @JsonProperty("mae") double mae,
        @JsonProperty("maeOriginal") double maeOriginal,
        @JsonProperty("rmseOriginal") double rmseOriginal,
        @JsonProperty("smape") double smape,
        @JsonProperty("windows") int windows) {

    @JsonCreator
    public ForecastMetrics {}

    /**
     * @param predictions {@code (n, horizon, targets)} standardised, as a forecaster gives
     * @param targetColumns each target's column in {@code scaler}
     */
    public static ForecastMetrics of(
            float[] predictions, WindowedSeries actual, Standardizer scaler, int[] targetColumns) {
        int n = actual.size();
        int h = actual.horizon();
        int t = actual.targets();
        if (predictions.length != n * h * t) {
            throw new IllegalArgumentException(
                    "expected " + (n * h * t) + " predictions, got " + predictions.length);
        }
        if (n == 0) {
            throw new IllegalArgumentException("no windows to evaluate");
        }
        double se = 0;
        double ae = 0;
        double aeOrig = 0;
        double seOrig = 0;
        double smape = 0;
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < h; s++) {
                for (int k = 0; k < t; k++) {
                    double p = predictions[(i * h + s) * t + k];
                    double y = actual.label(i, s, k);
                    double d = p - y;
                    se += d * d;
                    ae += Math.abs(d);
                    double po = scaler.unscale(targetColumns[k], p);
                    double yo = scaler.unscale(targetColumns[k], y);
                    double dOrig = po - yo;
                    aeOrig += Math.abs(dOrig);
                    seOrig += dOrig * dOrig;
                    double denominator = Math.abs(po) + Math.abs(yo);
                    smape += denominator == 0 ? 0 : 2 * Math.abs(dOrig) / denominator;
                }
            }
        }
        double count = (double) n * h * t;
        return new ForecastMetrics(
                se / count,
                ae / count,
                aeOrig / count,
                Math.sqrt(seOrig / count),
                100 * smape / count,
                n);
    }
}
