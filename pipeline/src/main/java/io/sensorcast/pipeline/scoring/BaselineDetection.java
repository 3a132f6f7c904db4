package io.sensorcast.pipeline.scoring;

import java.util.Locale;

/**
 * {@link AnomalyDetector} driven by a baseline forecaster over one series, in plain Java: the
 * detector's ablations (which forecaster, which scorer parts) on a whole corpus in seconds, where
 * the live pipeline ({@code sensorcast nab}) takes minutes. Online like the job: the forecast of
 * reading {@code i} and its score use readings before {@code i} only; the linear forecaster is
 * refit on the schedule {@code sensorcast nab} retrains the BiLSTM on.
 */
public final class BaselineDetection {

    /** The forecasters a baseline run can use. */
    public enum Forecaster {
        /** The next reading equals the last. */
        PERSISTENCE,
        /** The next reading equals the one a day earlier (by reading count), else the last. */
        SEASONAL_NAIVE,
        /**
         * Least squares from the last {@code window} readings to the next, on changes relative to
         * the last reading (the BiLSTM's window normalisation), refit on a schedule.
         */
        LINEAR;

        public static Forecaster parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "forecaster must be persistence, seasonal-naive or linear; got '"
                                + name
                                + "'");
            }
        }
    }

    /**
     * @param window readings the linear forecaster reads (the job's model window)
     * @param firstFit readings before the linear forecaster's first fit
     * @param refitEvery readings between fits
     * @param fitRows newest readings a fit uses
     */
    public record Schedule(int window, int firstFit, int refitEvery, int fitRows) {}

    private BaselineDetection() {}

    /**
     * Alert scores of every reading: 0 for the first, which has no forecast.
     *
     * @param timestamps epoch ms, increasing
     */
    public static double[] alerts(
            long[] timestamps,
            double[] values,
            Forecaster forecaster,
            Schedule schedule,
            DetectorSettings settings) {
        int n = values.length;
        double[] alerts = new double[n];
        if (n == 0) {
            return alerts;
        }
        AnomalyDetector detector = new AnomalyDetector(settings);
        detector.update(timestamps[0], values[0], Double.NaN, settings);
        long interval = n > 1 ? Math.max(1, timestamps[1] - timestamps[0]) : 1;
        int day = (int) Math.max(1, Math.round(86_400_000.0 / interval));
        double[] weights = null;
        int nextFit = schedule.firstFit();
        for (int i = 1; i < n; i++) {
            double forecast;
            switch (forecaster) {
                case SEASONAL_NAIVE -> forecast = i >= day ? values[i - day] : values[i - 1];
                case LINEAR -> {
                    if (i >= nextFit) {
                        weights = fit(values, i, schedule);
                        nextFit = i + schedule.refitEvery();
                    }
                    forecast = weights == null ? values[i - 1] : linear(values, i, weights);
                }
                default -> forecast = values[i - 1];
            }
            alerts[i] = detector.update(timestamps[i], values[i], forecast, settings).alert();
        }
        return alerts;
    }

    /** The linear forecast of reading {@code i}: the last reading plus the predicted change. */
    private static double linear(double[] v, int i, double[] w) {
        double last = v[i - 1];
        double y = w[0];
        for (int j = 1; j < w.length; j++) {
            int k = i - j;
            y += w[j] * (k >= 0 ? v[k] - last : 0);
        }
        return last + y;
    }

    /**
     * Ridge least squares of the next change on the window's changes, on rows before {@code end}.
     */
    private static double[] fit(double[] v, int end, Schedule s) {
        int m = s.window() + 1; // intercept and one weight per window step (the newest is 0)
        int from = Math.max(1, end - s.fitRows());
        double[][] a = new double[m][m + 1];
        double scale = 1e-12;
        double[] x = new double[m];
        for (int i = from; i < end; i++) {
            double last = v[i - 1];
            x[0] = 1;
            for (int j = 1; j < m; j++) {
                int k = i - j;
                x[j] = k >= 0 ? v[k] - last : 0;
            }
            double y = v[i] - last;
            scale += y * y;
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < m; c++) {
                    a[r][c] += x[r] * x[c];
                }
                a[r][m] += x[r] * y;
            }
        }
        for (int r = 1; r < m; r++) {
            a[r][r] += 1e-3 * scale; // ridge: keeps flat windows solvable
        }
        a[0][0] += 1e-9;
        return solve(a);
    }

    private static double[] solve(double[][] a) {
        int m = a.length;
        for (int c = 0; c < m; c++) {
            int pivot = c;
            for (int r = c + 1; r < m; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            if (Math.abs(a[c][c]) < 1e-300) {
                return null;
            }
            for (int r = 0; r < m; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int j = c; j <= m; j++) {
                        a[r][j] -= f * a[c][j];
                    }
                }
            }
        }
        double[] w = new double[m];
        for (int r = 0; r < m; r++) {
            w[r] = a[r][m] / a[r][r];
        }
        return w;
    }
}
