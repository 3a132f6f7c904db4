package io.sensorcast.evaluation.nab;

import io.sensorcast.model.math.LeastSquares;
import io.sensorcast.pipeline.scoring.AnomalyDetector;
import io.sensorcast.pipeline.scoring.DetectorSettings;
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
         * the last reading (the BiLSTM's window normalisation), refit on a schedule: the project's
         * {@link LeastSquares}, as the linear baseline of {@code sensorcast evaluate}.
         */
        LINEAR,
        /**
         * {@code LINEAR} with seasonal input channels: beside each step of the window, the reading
         * a day and a week before that step's next reading (by reading count), each relative to its
         * own newest value, so the fit can learn "tomorrow's change is today's change at this
         * hour". Before a week (or a day) of history, the day-ago (or the step's own) reading
         * stands in.
         */
        LINEAR_SEASONAL;

        public static Forecaster parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "forecaster must be persistence, seasonal-naive, linear or linear-seasonal; got '"
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
     * Alert scores of every reading: 0 for the first, which has no forecast. The detector is driven
     * as for recorded forecasts ({@link #alerts(long[], double[], double[], DetectorSettings)}),
     * the first reading taken in unscored.
     *
     * @param timestamps epoch ms, increasing
     */
    public static double[] alerts(
            long[] timestamps,
            double[] values,
            Forecaster forecaster,
            Schedule schedule,
            DetectorSettings settings) {
        return alerts(
                timestamps, values, forecasts(timestamps, values, forecaster, schedule), settings);
    }

    /**
     * {@code forecaster}'s forecast of every reading from the readings before it (NaN for the
     * first), online: the linear forecasters refit on {@code schedule}.
     */
    static double[] forecasts(
            long[] timestamps, double[] values, Forecaster forecaster, Schedule schedule) {
        int n = values.length;
        double[] forecasts = new double[n];
        if (n == 0) {
            return forecasts;
        }
        forecasts[0] = Double.NaN;
        long interval = n > 1 ? Math.max(1, timestamps[1] - timestamps[0]) : 1;
        int day = (int) Math.max(1, Math.round(86_400_000.0 / interval));
        double[][] weights = null;
        int nextFit = schedule.firstFit();
        int w = schedule.window();
        Inputs inputs =
                forecaster == Forecaster.LINEAR_SEASONAL
                        ? (v, i) -> seasonalInputs(v, i, w, day)
                        : (v, i) -> windowChanges(v, i, w);
        int count = (forecaster == Forecaster.LINEAR_SEASONAL ? 3 : 1) * (w - 1);
        for (int i = 1; i < n; i++) {
            switch (forecaster) {
                case SEASONAL_NAIVE -> forecasts[i] = i >= day ? values[i - day] : values[i - 1];
                case LINEAR, LINEAR_SEASONAL -> {
                    if (i >= nextFit) {
                        weights = fit(values, i, schedule, inputs, count);
                        nextFit = i + schedule.refitEvery();
                    }
                    forecasts[i] =
                            weights == null
                                    ? values[i - 1]
                                    : values[i - 1] + dot(weights, inputs.of(values, i));
                }
                default -> forecasts[i] = values[i - 1];
            }
        }
        return forecasts;
    }

    /**
     * Alert scores of every reading from the forecasts a live run scored them against ({@code
     * forecasts[i]}, NaN where it scored none), as the job's scorer makes them: the reading before
     * the first scored one enters the detector unscored, every scored reading after it is scored
     * against its forecast, and an unscored reading is not seen. Given the forecasts of a {@code
     * sensorcast nab} run and the same settings, the same alerts as that run.
     */
    public static double[] alerts(
            long[] timestamps, double[] values, double[] forecasts, DetectorSettings settings) {
        if (forecasts.length != values.length || timestamps.length != values.length) {
            throw new IllegalArgumentException(
                    "need a forecast (or NaN) and a timestamp per value, got "
                            + forecasts.length
                            + " and "
                            + timestamps.length
                            + " for "
                            + values.length);
        }
        double[] alerts = new double[values.length];
        AnomalyDetector detector = null;
        for (int i = 1; i < values.length; i++) {
            if (Double.isNaN(forecasts[i])) {
                continue;
            }
            if (detector == null) {
                detector = new AnomalyDetector(settings);
                detector.update(timestamps[i - 1], values[i - 1], Double.NaN, settings);
            }
            alerts[i] = detector.update(timestamps[i], values[i], forecasts[i], settings).alert();
        }
        return alerts;
    }

    /** The inputs of a linear forecast of reading {@code i}, from the readings before it. */
    private interface Inputs {
        double[] of(double[] v, int i);
    }

    /**
     * The window's changes before reading {@code i}: input {@code j} is the reading {@code j + 2}
     * steps back relative to the last one (the last itself would always be 0), 0 before the series
     * starts.
     */
    private static double[] windowChanges(double[] v, int i, int window) {
        double[] x = new double[window - 1];
        for (int j = 0; j < x.length; j++) {
            int k = i - 2 - j;
            x[j] = k >= 0 ? v[k] - v[i - 1] : 0;
        }
        return x;
    }

    private static double dot(double[][] w, double[] x) {
        double y = w[x.length][0]; // intercept
        for (int j = 0; j < x.length; j++) {
            y += w[j][0] * x[j];
        }
        return y;
    }

    /**
     * The reading {@code lag} before the one after row {@code row}; before the series reaches back
     * that far, the one a {@code day} before, else row {@code row} itself.
     */
    private static double seasonal(double[] v, int row, int lag, int day) {
        if (row + 1 - lag >= 0) {
            return v[row + 1 - lag];
        }
        if (row + 1 - day >= 0) {
            return v[row + 1 - day];
        }
        return v[Math.max(row, 0)];
    }

    /**
     * The inputs of the seasonal linear forecast of reading {@code i}: the window's changes
     * relative to the last reading, then for a day and a week the seasonal channel's steps relative
     * to its newest step; the newest of each (always 0) left out.
     */
    static double[] seasonalInputs(double[] v, int i, int window, int day) {
        double[] x = new double[3 * (window - 1)];
        int o = 0;
        double last = v[i - 1];
        for (int s = 0; s < window - 1; s++) {
            int row = i - window + s;
            x[o++] = row >= 0 ? v[row] - last : 0;
        }
        for (int lag : new int[] {day, 7 * day}) {
            double newest = seasonal(v, i - 1, lag, day);
            for (int s = 0; s < window - 1; s++) {
                int row = i - window + s;
                x[o++] = row >= 0 ? seasonal(v, row, lag, day) - newest : 0;
            }
        }
        return x;
    }

    /**
     * Least squares of the next change on {@code count} inputs, on the rows before {@code end};
     * null with too few rows.
     */
    private static double[][] fit(double[] v, int end, Schedule s, Inputs inputs, int count) {
        int from = Math.max(1, end - s.fitRows());
        if (end - from < count + 1) {
            return null;
        }
        LeastSquares ls = new LeastSquares(count, 1);
        float[] x = new float[count];
        float[] y = new float[1];
        for (int i = from; i < end; i++) {
            double[] in = inputs.of(v, i);
            for (int j = 0; j < count; j++) {
                x[j] = (float) in[j];
            }
            y[0] = (float) (v[i] - v[i - 1]);
            ls.add(x, y);
        }
        return ls.solve();
    }
}
