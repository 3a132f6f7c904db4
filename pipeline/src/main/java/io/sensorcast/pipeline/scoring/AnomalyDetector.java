package io.sensorcast.pipeline.scoring;

/**
 * The anomaly detector of one sensor's target: an online score in [0, 1) from each reading, the
 * forecast made for it and the sensor's own past, using only readings up to that one.
 *
 * <ol>
 *   <li><b>Two error streams.</b> The forecast's error, the mean of {@code |actual − forecast|} and
 *       the persistence forecast's {@code |actual − last reading|} (a reading is as surprising as
 *       it is to the model and to "no change" together: the model's own errors where the series is
 *       erratic add false alarms that persistence's do not, and persistence's errors at each
 *       predictable transition are halved by the model's), and the error of the value one week
 *       earlier (by reading count, see {@link #update(long, double, double, DetectorSettings)}),
 *       both in units of the sensor's running range (max − min so far). The forecast knows the last
 *       hour, not what is normal for this hour of the week; the week-ago value does, so a missing
 *       or displaced daily pattern leaves a large week-ago error.
 *   <li><b>Error likelihood</b> per stream ({@link ErrorLikelihood}: Numenta's anomaly likelihood,
 *       Ahmad et al. 2017, on forecast errors). With {@code L = −log10 P} for the tail probability
 *       P of the current error level, the score is {@code L / (L + tailScale)}: 0.5 at {@code P =
 *       10^−tailScale}, rising without ever reaching 1, so a gross excursion ranks above a marginal
 *       one.
 *   <li><b>Out of range.</b> After {@code spatialWarmup} readings, a reading beyond the running
 *       minimum or maximum by more than {@code spatialTolerance} of the range, by {@code x} ranges
 *       past that, scores {@code (1 + 10x) / (2 + 10x)}: above the default threshold, higher the
 *       further out.
 *   <li><b>One alert per excursion.</b> The score is the highest of the three; the alert score is
 *       the score where it exceeds every score of the previous {@code shortWindow} readings (an
 *       excursion's onset), else 0; after an alert at or above the threshold no alert is raised for
 *       {@code refractory} readings.
 * </ol>
 *
 * <p>State is bounded: per stream a ring of {@code shortWindow} errors and {@code ⌈longWindow /
 * reestimateEvery⌉} block sums, the week ring (one float per reading of a week, at most {@code
 * maxWeekLag}), and a few numbers. A Flink POJO, updated in place.
 */
public final class AnomalyDetector {

    public ErrorLikelihood[] streams; // the forecast's errors, and the week-ago value's
    public float[] history; // ring: the last weekLag values (empty without a week stream)
    public int historySize;
    public int historyNext;
    public long lastTimestamp;
    public double lastValue;
    public double[] recentScores; // ring: the last shortWindow scores
    public int recentSize;
    public int recentNext;
    public long readings;
    public double min;
    public double max;
    public int refractoryLeft;

    public AnomalyDetector() {}

    public AnomalyDetector(DetectorSettings s) {
        streams = new ErrorLikelihood[] {new ErrorLikelihood(s), new ErrorLikelihood(s)};
        lastTimestamp = Long.MIN_VALUE;
        recentScores = new double[s.shortWindow()];
        min = Double.POSITIVE_INFINITY;
        max = Double.NEGATIVE_INFINITY;
    }

    /** The scores of one reading: the raw score and the alert score derived from it. */
    public record Scores(double score, double alert) {}

    /**
     * Scores the reading {@code actual} at {@code timestamp} against {@code forecast} (the model's,
     * or persistence before a model) with the last reading this detector took in, and against the
     * sensor's value one week earlier, and takes it into the state. Readings come in event-time
     * order.
     */
    public Scores update(long timestamp, double actual, double forecast, DetectorSettings s) {
        double last = readings == 0 ? Double.NaN : lastValue;
        double weekAgo = weekAgo(timestamp, s);
        double w = s.persistenceWeight();
        double[] both = {forecast, last};
        double[] weights = {1 - w, w};
        Scores scores =
                update(actual, new double[][] {both, {weekAgo}}, new double[][] {weights, ONE}, s);
        remember(actual);
        lastValue = actual;
        return scores;
    }

    /**
     * The value one week before the reading at {@code timestamp}, by reading count: the sampling
     * interval is the first gap between two readings, a week is {@code 7 × 86,400 s / interval}
     * readings. NaN until a week is known, or when a week spans more than {@code maxWeekLag}.
     */
    private double weekAgo(long timestamp, DetectorSettings s) {
        if (history == null && lastTimestamp != Long.MIN_VALUE && timestamp > lastTimestamp) {
            long lag = Math.round(WEEK_MILLIS / (double) (timestamp - lastTimestamp));
            history = new float[lag >= 1 && lag <= s.maxWeekLag() ? (int) lag : 0];
            remember(lastValue); // the first reading, seen before the interval was known
        }
        lastTimestamp = timestamp;
        if (history == null || history.length == 0 || historySize < history.length) {
            return Double.NaN;
        }
        return history[historyNext]; // the oldest: exactly one week of readings ago
    }

    private void remember(double actual) {
        if (history == null || history.length == 0) {
            return;
        }
        history[historyNext] = (float) actual;
        historyNext = (historyNext + 1) % history.length;
        historySize = Math.min(historySize + 1, history.length);
    }

    private static final double WEEK_MILLIS = 7 * 86_400_000.0;

    /**
     * Scores {@code actual} against each stream's {@code forecasts} (always the same number of
     * streams, in the same order) and takes it into the state; a stream's error is the mean
     * absolute error of its finite forecasts, and a stream with none is left untouched. The score
     * is the highest of the streams' and the out-of-range rule's.
     */
    Scores update(double actual, double[][] forecasts, DetectorSettings s) {
        double[][] weights = new double[forecasts.length][];
        for (int i = 0; i < forecasts.length; i++) {
            weights[i] = new double[forecasts[i].length];
            java.util.Arrays.fill(weights[i], 1);
        }
        return update(actual, forecasts, weights, s);
    }

    private Scores update(
            double actual, double[][] forecasts, double[][] weights, DetectorSettings s) {
        readings++;
        double score = spatialScore(actual, s);
        if (actual < min) {
            min = actual;
        }
        if (actual > max) {
            max = actual;
        }
        double range = max - min;
        for (int i = 0; i < streams.length; i++) {
            double error = meanAbsoluteError(actual, forecasts[i], weights[i]);
            if (Double.isFinite(error)) {
                error = range > 0 ? error / range : 0;
                score = Math.max(score, fromLogTail(streams[i].logTail(error, s), s));
            }
        }
        return new Scores(score, alert(score, s));
    }

    /**
     * The weighted mean of {@code |actual − f|} over the finite forecasts with a positive weight;
     * NaN when there is none.
     */
    static double meanAbsoluteError(double actual, double[] forecasts, double[] weights) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < forecasts.length; i++) {
            if (Double.isFinite(forecasts[i]) && weights[i] > 0) {
                sum += weights[i] * Math.abs(actual - forecasts[i]);
                total += weights[i];
            }
        }
        return total > 0 ? sum / total : Double.NaN;
    }

    private static final double[] ONE = {1};

    private double spatialScore(double actual, DetectorSettings s) {
        double range = max - min;
        if (readings <= s.spatialWarmup() || !(range > 0)) {
            return 0;
        }
        double tolerance = s.spatialTolerance() * range;
        double excess = Math.max(actual - (max + tolerance), (min - tolerance) - actual);
        if (!(excess > 0)) {
            return 0;
        }
        return fromLogTail(s.tailScale() * (1 + 10 * excess / range), s);
    }

    static double fromLogTail(double l, DetectorSettings s) {
        return l <= 0 ? 0 : l / (l + s.tailScale());
    }

    private double alert(double score, DetectorSettings s) {
        boolean onset = true;
        for (int i = 0; i < recentSize && onset; i++) {
            onset = score > recentScores[i];
        }
        recentScores[recentNext] = score;
        recentNext = (recentNext + 1) % recentScores.length;
        recentSize = Math.min(recentSize + 1, recentScores.length);
        if (refractoryLeft > 0) {
            refractoryLeft--;
            return 0;
        }
        if (!onset) {
            return 0;
        }
        if (score >= s.threshold()) {
            refractoryLeft = s.refractory();
        }
        return score;
    }

    /**
     * {@code log10 P(Z > z)} for a standard normal Z, accurate far into the tail: {@code P = erfc(z
     * / √2) / 2} with erfc in log form (Numerical Recipes' Chebyshev fit, relative error below
     * 1.2e-7 everywhere), so z = 40 gives −349 rather than log10(0).
     */
    static double log10UpperTail(double z) {
        double x = z / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double poly = 0;
        for (int i = ERFC_COEFFICIENTS.length - 1; i >= 0; i--) {
            poly = ERFC_COEFFICIENTS[i] + t * poly;
        }
        double lnErfcAbs = Math.log(t) - x * x + poly; // ln erfc(|x|)
        double lnTail =
                x >= 0
                        ? Math.log(0.5) + lnErfcAbs
                        : Math.log(1 - 0.5 * Math.exp(lnErfcAbs)); // erfc(x) = 2 − erfc(|x|)
        return lnTail / Math.log(10);
    }

    private static final double[] ERFC_COEFFICIENTS = {
        -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277
    };
}
