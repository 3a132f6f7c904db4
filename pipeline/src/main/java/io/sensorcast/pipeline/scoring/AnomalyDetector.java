package io.sensorcast.pipeline.scoring;

import io.sensorcast.pipeline.state.BulkArrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

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
 *       earlier (see {@link #update(long, double, double, DetectorSettings)}), both in units of the
 *       sensor's running range (max − min so far). The forecast knows the last hour, not what is
 *       normal for this hour of the week; the week-ago value does, so a missing or displaced daily
 *       pattern leaves a large week-ago error.
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
 *       the {@code refractory} period.
 * </ol>
 *
 * <p><b>Time, not readings.</b> The detector learns its sensor's sampling interval from the first
 * gap between two readings (the first reading is taken in unscored) and turns its time constants
 * into readings at that interval: the error history, the re-estimate interval, the refractory
 * period and the week. So a sensor read every minute and one read every hour get alarms after the
 * same time, not after the same number of readings.
 *
 * <p>State is bounded: per stream a ring of {@code shortWindow} errors and {@code ⌈errorHistory /
 * reestimateInterval⌉} block sums, the week ring (one float per reading of a week, or per mean of
 * consecutive readings where a week holds more than {@code maxWeekLag}: at most {@code maxWeekLag}
 * floats), and a few numbers. A Flink POJO, updated in place.
 */
public final class AnomalyDetector {

    public ErrorLikelihood[] streams; // the forecast's errors, and the week-ago value's

    @TypeInfo(BulkArrays.Floats.class)
    public float[] history; // ring: the last weekLag values (empty without a week stream)

    public int historySize;
    public int historyNext;
    public long lastTimestamp;
    public double lastValue;

    @TypeInfo(BulkArrays.Doubles.class)
    public double[] recentScores; // ring: the last shortWindow scores

    public int recentSize;
    public int recentNext;
    public long readings;
    public double min;
    public double max;
    public int refractoryLeft;
    public long intervalMs; // the sensor's sampling interval; 0 until its first gap
    public int refractoryReadings; // the refractory period at that interval
    public int weekBlock; // readings per value of the week ring
    public double weekSum; // the readings of the value being filled
    public int weekCount;

    public AnomalyDetector() {}

    public AnomalyDetector(DetectorSettings s) {
        streams = new ErrorLikelihood[] {new ErrorLikelihood(s), new ErrorLikelihood(s)};
        lastTimestamp = Long.MIN_VALUE;
        recentScores = new double[s.shortWindow()];
        min = Double.POSITIVE_INFINITY;
        max = Double.NEGATIVE_INFINITY;
    }

    /** A detector of a sensor known to be read every {@code intervalMs}. */
    AnomalyDetector(DetectorSettings s, long intervalMs) {
        this(s);
        resolve(s, intervalMs);
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
        learnInterval(timestamp, s);
        double weekAgo = weekAgo();
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
     * At the first reading after a positive gap, takes that gap as the sampling interval. Readings
     * come in event-time order, so a later gap (an outage, a slower phase) does not change it.
     */
    private void learnInterval(long timestamp, DetectorSettings s) {
        if (intervalMs == 0 && lastTimestamp != Long.MIN_VALUE && timestamp > lastTimestamp) {
            boolean fresh = history == null;
            resolve(s, timestamp - lastTimestamp);
            if (fresh) {
                remember(lastValue); // the first reading, seen before the interval was known
            }
        }
        lastTimestamp = timestamp;
    }

    /**
     * Turns the time constants into readings at {@code interval}. The week ring holds a week of
     * readings, or of means of {@code ⌈week / maxWeekLag⌉} consecutive readings where a week holds
     * more than {@code maxWeekLag}; a ring restored from an earlier state keeps its size.
     */
    private void resolve(DetectorSettings s, long interval) {
        intervalMs = interval;
        refractoryReadings = DetectorSettings.readings(s.refractory(), interval, 0);
        for (ErrorLikelihood stream : streams) {
            stream.resolve(s, interval);
        }
        if (history == null) {
            long week = Math.round(WEEK_MILLIS / interval);
            if (interval > WEEK_MILLIS || s.maxWeekLag() == 0) {
                history = new float[0];
            } else {
                weekBlock = (int) ((week + s.maxWeekLag() - 1) / s.maxWeekLag());
                history = new float[(int) Math.round(week / (double) weekBlock)];
            }
        }
        weekBlock = Math.max(1, weekBlock);
    }

    /**
     * The value one week before the current reading: the oldest of the week ring. NaN until a week
     * is known, and for sensors read less than once a week or without a week stream.
     */
    private double weekAgo() {
        if (history == null || history.length == 0 || historySize < history.length) {
            return Double.NaN;
        }
        return history[historyNext];
    }

    private void remember(double actual) {
        if (history == null || history.length == 0) {
            return;
        }
        weekSum += actual;
        if (++weekCount < weekBlock) {
            return;
        }
        history[historyNext] = (float) (weekSum / weekCount);
        weekSum = 0;
        weekCount = 0;
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
            if (intervalMs > 0 && Double.isFinite(error)) {
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
            refractoryLeft = refractoryReadings;
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
