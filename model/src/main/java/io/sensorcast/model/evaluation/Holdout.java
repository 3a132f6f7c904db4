package io.sensorcast.model.evaluation;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.ReadingWindow;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.manifest.ModelManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges one-step forecasts on the newest rows of a table, in original units, so models trained on
 * different data (with different scalers) and the baselines are compared on equal terms. The error
 * is the mean squared error over the slice's variance (NMSE), averaged over the targets: 1 is as
 * good as forecasting the slice's mean, lower is better.
 */
public final class Holdout {

    private final TimeSeriesTable table;
    private final List<String> targets;
    private final int firstOrigin;

    /**
     * @param from first row of the hold-out; forecasts are made for rows {@code from..n-1}
     * @param longestWindow the longest window among the models compared, so all judge the same rows
     */
    public Holdout(TimeSeriesTable table, List<String> targets, int from, int longestWindow) {
        this.table = table;
        this.targets = targets;
        this.firstOrigin = Math.max(from - 1, longestWindow - 1);
    }

    public int forecasts() {
        return Math.max(0, table.rows() - 1 - firstOrigin);
    }

    /**
     * The model's error, from the first step of each forecast; the model must read features the
     * table has.
     */
    public double error(ForecastModel model) {
        ModelManifest m = model.manifest();
        int w = m.window();
        int t = m.targets().size();
        int n = forecasts();
        float[] predicted = new float[n * t];
        int batch = 256;
        for (int start = 0; start < n; start += batch) {
            List<ReadingWindow> windows = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + batch); i++) {
                windows.add(new TableWindow(table, firstOrigin + i - w + 1, w));
            }
            float[][] out = model.forecast(windows);
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) {
                    throw new IllegalArgumentException(
                            "the model reads "
                                    + m.features()
                                    + "; the table has "
                                    + table.columns());
                }
                // horizon 1 in the live job; with more steps, the first is the one judged
                System.arraycopy(out[i], 0, predicted, (start + i) * t, t);
            }
        }
        return nmse(m.targets(), (i, k) -> predicted[i * t + k]);
    }

    /** Rows {@code from..from+steps-1} of a table, every column, as a model reads them. */
    private record TableWindow(TimeSeriesTable table, int from, int steps)
            implements ReadingWindow {
        @Override
        public int columns() {
            return table.columns().size();
        }

        @Override
        public String column(int c) {
            return table.columns().get(c);
        }

        @Override
        public double value(int step, int c) {
            return table.value(c, from + step);
        }
    }

    /** Persistence and seasonal naive with period {@code season}. */
    public Map<String, Double> baselines(int season) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("persistence", nmse(targets, (i, k) -> value(k, firstOrigin + i)));
        out.put(
                "seasonal_naive",
                nmse(targets, (i, k) -> value(k, firstOrigin + i + 1 - Math.max(1, season))));
        return out;
    }

    private interface Prediction {
        double of(int forecast, int target);
    }

    private double value(int target, int row) {
        return table.value(table.columnIndex(targets.get(target)), Math.max(0, row));
    }

    private double nmse(List<String> names, Prediction p) {
        int n = forecasts();
        double sum = 0;
        for (int k = 0; k < names.size(); k++) {
            int col = table.columnIndex(names.get(k));
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += table.value(col, firstOrigin + 1 + i);
            }
            mean /= n;
            double variance = 0;
            double squared = 0;
            for (int i = 0; i < n; i++) {
                double actual = table.value(col, firstOrigin + 1 + i);
                variance += (actual - mean) * (actual - mean);
                double e = actual - p.of(i, k);
                squared += e * e;
            }
            sum += variance > 0 ? squared / variance : squared / n;
        }
        return sum / names.size();
    }
}
