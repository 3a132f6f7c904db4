package io.sensorcast.model.evaluation;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.dataset.WindowedSeries;
import io.sensorcast.model.interval.IntervalLevels;
import io.sensorcast.model.interval.IntervalScore;
import io.sensorcast.model.manifest.ForecastMetrics;
import io.sensorcast.model.manifest.ModelManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Several forecasters scored on the same windows with the same metrics. */
public final class Comparison {

    private Comparison() {}

    /**
     * A trained model against the standard baselines on the test rows of {@code split}.
     *
     * @param windows how many test windows the results are over
     * @param intervals the model's online intervals and persistence's quantile band, by name
     */
    public record OfModel(
            int windows,
            Map<String, ForecastMetrics> results,
            Map<String, IntervalScore> intervals) {

        /** The model's test MSE over the best baseline's (below 1: the model earns its place). */
        public double ratioToBestBaseline() {
            double best = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, ForecastMetrics> e : results.entrySet()) {
                if (!e.getKey().equals("model")) {
                    best = Math.min(best, e.getValue().mse());
                }
            }
            return results.get("model").mse() / best;
        }
    }

    /**
     * {@code model} and the baselines (the linear one fitted on the training rows) on the test rows
     * of {@code split} of {@code table} (the model's features), one window per row; {@code
     * seasonPeriod} for the seasonal-naive baseline.
     */
    public static OfModel ofModel(
            ForecastModel model,
            TimeSeriesTable table,
            TimeSplit split,
            int seasonPeriod,
            IntervalLevels levels,
            double intervalRate) {
        ModelManifest m = model.manifest();
        if (split.testEnd() > table.rows()) {
            throw new IllegalArgumentException(
                    "split ends at row "
                            + split.testEnd()
                            + " but the data has "
                            + table.rows()
                            + " rows");
        }
        int[] targets = m.network().targetIndices();
        WindowSpec windows = new WindowSpec(m.window(), m.horizon(), 1);
        WindowSpec trainWindows = new WindowSpec(m.window(), m.horizon(), m.data().stride());
        WindowedSeries test = WindowedSeries.of(table, targets, m.scaler(), windows, split.test());
        WindowedSeries train =
                WindowedSeries.of(table, targets, m.scaler(), trainWindows, split.train());
        List<Forecaster> forecasters = new ArrayList<>();
        Forecaster network = new NetworkForecaster("model", model.block(), model.manager(), 512);
        forecasters.add(network);
        forecasters.addAll(baselines(targets, seasonPeriod, train));
        // intervals: calibrated from the first validation window on, judged on the test windows
        WindowedSeries calibrated =
                WindowedSeries.of(
                        table,
                        targets,
                        m.scaler(),
                        windows,
                        new TimeSplit.Period(split.trainEnd(), split.testEnd()));
        Map<String, IntervalScore> intervals = new LinkedHashMap<>();
        intervals.put(
                "model, online",
                IntervalComparison.online(
                        calibrated,
                        network.predict(calibrated),
                        split.validationEnd(),
                        levels,
                        intervalRate));
        intervals.put(
                "persistence quantiles",
                IntervalComparison.persistenceQuantiles(
                        calibrated, targets, split.validationEnd(), levels));
        return new OfModel(test.size(), run(forecasters, test, m.scaler(), targets), intervals);
    }

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
