package io.sensorcast.pipeline.scoring;

import java.io.Serializable;

/**
 * The parameters of {@link AnomalyDetector}: one configuration for every sensor.
 *
 * @param shortWindow forecast errors averaged into the current error level
 * @param longWindow past error levels that define "usual" (the Gaussian's history)
 * @param reestimateEvery readings between re-estimates of the Gaussian's mean and spread
 * @param minHistory error levels needed before the likelihood scores at all
 * @param sigmaFloor smallest spread of error levels, in units of the sensor's running range
 * @param tailScale {@code -log10} of the tail probability that scores 0.5: the score is {@code L /
 *     (L + tailScale)} with {@code L = -log10 P(error level this high)}
 * @param spatialTolerance fraction of the running range a reading may pass the running minimum or
 *     maximum by before it is out of range
 * @param spatialWarmup readings before the out-of-range rule applies
 * @param threshold alert score at or above which a reading is flagged
 * @param refractory readings after a flagged reading during which no alert is raised
 * @param maxWeekLag most readings a week may span for the week-ago stream to be kept (its state is
 *     one value per reading of the week); sensors sampled faster score without it
 * @param persistenceWeight the persistence forecast's share {@code w} of the forecast stream's
 *     error {@code (1 − w)·|actual − forecast| + w·|actual − last reading|}; 0 judges the forecast
 *     alone
 */
public record DetectorSettings(
        int shortWindow,
        int longWindow,
        int reestimateEvery,
        int minHistory,
        double sigmaFloor,
        double tailScale,
        double spatialTolerance,
        int spatialWarmup,
        double threshold,
        int refractory,
        int maxWeekLag,
        double persistenceWeight)
        implements Serializable {

    /** The defaults, tuned on the bundled NAB development subset (see docs/detector.md). */
    public static DetectorSettings defaults() {
        return new DetectorSettings(10, 8640, 100, 300, 0.001, 5, 0.02, 300, 0.5, 300, 4032, 0.5);
    }

    public DetectorSettings {
        check("shortWindow", shortWindow, 1, 10_000);
        check("longWindow", longWindow, 2, 1_000_000);
        check("reestimateEvery", reestimateEvery, 1, 1_000_000);
        check("minHistory", minHistory, 2, longWindow);
        check("spatialWarmup", spatialWarmup, 0, 1_000_000);
        check("refractory", refractory, 0, 1_000_000);
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
                longWindow,
                reestimateEvery,
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
}
