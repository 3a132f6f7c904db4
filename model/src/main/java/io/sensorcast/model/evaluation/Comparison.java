package io.sensorcast.model.evaluation;

import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.dataset.WindowedSeries;
import io.sensorcast.model.manifest.ForecastMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Several forecasters scored on the same windows with the same metrics. */
public final class Comparison {

    private Comparison() {}

    /** The standard baselines: persistence, seasonal naive and linear least squares. */
    public static List<Forecaster> baselines(
            int[] targetIndices, int seasonPeriod, WindowedSeries linearTraining) {
        return List.of(
                new PersistenceForecaster(targetIndices),
                new SeasonalNaiveForecaster(seasonPeriod, targetIndices),
                LinearForecaster.fit(linearTraining));
    }

    /** Metrics of each forecaster on {@code windows}, in the order given, keyed by name. */
    public static Map<String, ForecastMetrics> run(
            List<Forecaster> forecasters,
            WindowedSeries windows,
            Standardizer scaler,
            int[] targetColumns) {
        Map<String, ForecastMetrics> out = new LinkedHashMap<>();
        for (Forecaster f : forecasters) {
            out.put(
                    f.name(),
                    ForecastMetrics.of(f.predict(windows), windows, scaler, targetColumns));
        }
        return out;
    }

    /** A plain-text table, one row per forecaster. */
    public static String table(Map<String, ForecastMetrics> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%-20s %10s %10s %12s %12s %9s%n",
                        "forecaster",
                        "MSE(std)",
                        "MAE(std)",
                        "MAE",
                        "RMSE",
                        "sMAPE%"));
        for (Map.Entry<String, ForecastMetrics> e : results.entrySet()) {
            ForecastMetrics m = e.getValue();
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-20s %10.5f %10.5f %12.5f %12.5f %9.3f%n",
                            e.getKey(),
                            m.mse(),
                            m.mae(),
                            m.maeOriginal(),
                            m.rmseOriginal(),
                            m.smape()));
        }
        return sb.toString();
    }
}
