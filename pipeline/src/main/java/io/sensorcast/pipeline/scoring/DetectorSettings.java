package io.sensorcast.pipeline.scoring;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.util.TimeUtils;

/**
 * The parameters of {@link AnomalyDetector}: one configuration for every sensor, whatever its
 * sampling interval. Time constants are durations, turned into readings per sensor from its own
 * interval ({@link #readings}); what stays a count is a sample size (how many error levels, or
 * readings of the range, make an estimate worth trusting), the same at any interval.
 *
 * @param shortWindow forecast errors averaged into the current error level (a sample: Numenta's
 *     averaging window)
 * @param errorHistory how far back error levels define "usual" (the Gaussian's history)
 * @param reestimateInterval time between re-estimates of the Gaussian's mean and spread
 * @param minHistory error levels needed before the likelihood scores at all (a sample size; it fits
 *     inside NAB's probationary period, 15% of a file, from files of 1,000 readings)
 * @param sigmaFloor smallest spread of error levels, in units of the sensor's running range
 * @param tailScale {@code -log10} of the tail probability that scores 0.5: the score is {@code L /
 *     (L + tailScale)} with {@code L = -log10 P(error level this high)}
 * @param spatialTolerance fraction of the running range a reading may pass the running minimum or
 *     maximum by before it is out of range
 * @param spatialWarmup readings before the out-of-range rule applies (a sample of the range)
 * @param threshold alert score at or above which a reading is flagged
 * @param refractory time after a flagged reading during which no alert is raised
 * @param maxWeekLag most values the week-ago stream keeps (its state); a week of more readings is
 *     kept as means of consecutive readings, as many as fit; 0 turns the stream off
 * @param persistenceWeight the persistence forecast's share {@code w} of the forecast stream's
 *     error {@code (1 − w)·|actual − forecast| + w·|actual − last reading|}; 0 judges the forecast
 *     alone
 */
public record DetectorSettings(
        int shortWindow,
        Duration errorHistory,
        Duration reestimateInterval,
        int minHistory,
        double sigmaFloor,
        double tailScale,
        double spatialTolerance,
        int spatialWarmup,
        double threshold,
        Duration refractory,
        int maxWeekLag,
        double persistenceWeight)
        implements Serializable {

    /** The longest time constant: a year. */
    public static final Duration MAX_DURATION = Duration.ofDays(366);

    /**
     * The defaults, tuned on the bundled NAB development subset and its resampled and cut variants
     * (see docs/detector.md).
     */
    public static DetectorSettings defaults() {
        return new DetectorSettings(
                10,
                Duration.ofDays(30),
                Duration.ofMinutes(500),
                150,
                0.001,
                5,
                0.02,
                150,
                0.5,
                Duration.ofHours(50),
                4032,
                0.5);
    }

    public DetectorSettings {
        check("shortWindow", shortWindow, 1, 10_000);
        check("errorHistory", errorHistory, Duration.ofMillis(1), MAX_DURATION);
        check("reestimateInterval", reestimateInterval, Duration.ofMillis(1), errorHistory);
        check("minHistory", minHistory, 2, 1_000_000);
        check("spatialWarmup", spatialWarmup, 0, 1_000_000);
        check("refractory", refractory, Duration.ZERO, MAX_DURATION);
        check("maxWeekLag", maxWeekLag, 0, 1_000_000);
        if (!(sigmaFloor > 0 && sigmaFloor < 1)) {
            throw new IllegalArgumentException("sigmaFloor must be in (0, 1), got " + sigmaFloor);
        }
        if (!(tailScale > 0 && tailScale <= 1000)) {
            throw new IllegalArgumentException("tailScale must be in (0, 1000], got " + tailScale);
        }
        if (!(spatialTolerance >= 0 && spatialTolerance <= 10)) {
            throw new IllegalArgumentException(
                    "spatialTolerance must be in [0, 10], got " + spatialTolerance);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
        if (!(persistenceWeight >= 0 && persistenceWeight <= 1)) {
            throw new IllegalArgumentException(
                    "persistenceWeight must be in [0, 1], got " + persistenceWeight);
        }
    }

    /**
     * The readings {@code span} holds at one reading every {@code intervalMs}: at least {@code
     * min}, at most {@link Integer#MAX_VALUE}.
     */
    public static int readings(Duration span, long intervalMs, int min) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("a sampling interval must be positive");
        }
        double n = Math.rint(span.toMillis() / (double) intervalMs);
        return (int) Math.max(min, Math.min(Integer.MAX_VALUE, n));
    }

    /** These settings with another persistence weight (0: the forecast's error alone). */
    public DetectorSettings withPersistenceWeight(double w) {
        return with(threshold, w);
    }

    /** These settings with another threshold (per-group thresholds). */
    public DetectorSettings withThreshold(double t) {
        return with(t, persistenceWeight);
    }

    private DetectorSettings with(double t, double w) {
        return new DetectorSettings(
                shortWindow,
                errorHistory,
                reestimateInterval,
                minHistory,
                sigmaFloor,
                tailScale,
                spatialTolerance,
                spatialWarmup,
                t,
                refractory,
                maxWeekLag,
                w);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    private static void check(String name, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    name
                            + " must be in ["
                            + TimeUtils.formatWithHighestUnit(min)
                            + ", "
                            + TimeUtils.formatWithHighestUnit(max)
                            + "], got "
                            + (value == null ? null : TimeUtils.formatWithHighestUnit(value)));
        }
    }
}
