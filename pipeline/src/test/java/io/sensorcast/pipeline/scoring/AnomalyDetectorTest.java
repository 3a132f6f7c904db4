package io.sensorcast.pipeline.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The detector's pieces against hand-worked cases. */
class AnomalyDetectorTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;

    /** Minutes, the readings of the tests that read a sensor every minute. */
    private static Duration minutes(long n) {
        return Duration.ofMinutes(n);
    }

    /**
     * Likelihood only: one-error levels, four minutes (readings) of history, re-estimated every
     * reading.
     */
    private static final DetectorSettings LIKELIHOOD_ONLY =
            new DetectorSettings(
                    1, minutes(4), minutes(1), 4, 0.001, 5, 10, 0, 0.5, Duration.ZERO, 4032, 0.5);

    /** One forecast for each stream. */
    private static double[][] each(double... forecasts) {
        double[][] out = new double[forecasts.length][];
        for (int i = 0; i < forecasts.length; i++) {
            out[i] = new double[] {forecasts[i]};
        }
        return out;
    }

    @Test
    void upperTailMatchesTheNormalDistributionFarIntoTheTail() {
        assertThat(AnomalyDetector.log10UpperTail(0)).isCloseTo(-0.30103, within(1e-6));
        assertThat(AnomalyDetector.log10UpperTail(1.6448536)).isCloseTo(-1.30103, within(1e-6));
        assertThat(AnomalyDetector.log10UpperTail(10)).isCloseTo(-23.11805, within(1e-4));
        // ln Q(40) ≈ −40²/2 − ln(40·√(2π)) = −804.605: log10 −349.43, not log10(0)
        assertThat(AnomalyDetector.log10UpperTail(40)).isCloseTo(-349.43, within(0.01));
        assertThat(AnomalyDetector.log10UpperTail(-8)).isCloseTo(0, within(1e-12));
    }

    @Test
    void scoresAnErrorLevelByItsTailUnderTheUsualLevels() {
        AnomalyDetector d = new AnomalyDetector(LIKELIHOOD_ONLY, MINUTE);
        // (actual, forecast): the range is 10 from the second reading on, so the errors in range
        // units are 0, 0.1, 0.3, 0.1, 0.3; the fifth is the first judged (four levels known)
        double[][] readings = {{0, 0}, {10, 9}, {0, 3}, {10, 9}, {0, 3}};
        for (double[] r : readings) {
            d.update(r[0], each(r[1], Double.NaN), LIKELIHOOD_ONLY);
        }
        // history 0.1, 0.3, 0.1, 0.3: mean 0.2, spread 0.1; error 0.5 is z = 3,
        // P = 1.3499e-3, L = 2.86970, score L / (L + 5) = 0.364652
        AnomalyDetector.Scores s = d.update(10, each(5, Double.NaN), LIKELIHOOD_ONLY);
        assertThat(s.score()).isCloseTo(0.364652, within(1e-5));
        assertThat(s.alert()).isCloseTo(0.364652, within(1e-5)); // above every recent score
    }

    @Test
    void scoresAReadingOutOfRangeHigherTheFurtherOut() {
        DetectorSettings s =
                new DetectorSettings(
                        1,
                        minutes(4),
                        minutes(1),
                        4,
                        0.001,
                        5,
                        0.02,
                        2,
                        0.5,
                        Duration.ZERO,
                        4032,
                        0.5);
        AnomalyDetector d = new AnomalyDetector(s, MINUTE);
        d.update(0, each(Double.NaN, Double.NaN), s);
        d.update(10, each(Double.NaN, Double.NaN), s);
        d.update(5, each(Double.NaN, Double.NaN), s);
        // within max + 2% of the range: not out of range
        assertThat(d.update(10.19, each(Double.NaN, Double.NaN), s).score()).isZero();
        // range 10.19, bound 10.19 + 0.2038; 12.3938 is 2 past: x = 2/10.19,
        // score (1 + 10x) / (2 + 10x) = 0.74764
        assertThat(d.update(12.3938, each(Double.NaN, Double.NaN), s).score())
                .isCloseTo(0.74764, within(1e-4));
        AnomalyDetector far = new AnomalyDetector(s, MINUTE);
        far.update(0, each(Double.NaN, Double.NaN), s);
        far.update(10, each(Double.NaN, Double.NaN), s);
        far.update(5, each(Double.NaN, Double.NaN), s);
        double gross = far.update(1000, each(Double.NaN, Double.NaN), s).score();
        assertThat(gross).isGreaterThan(0.99).isLessThan(1); // ranks above, never saturates
    }

    @Test
    void alertsOnceAtAnExcursionsOnsetAndThenRestsForTheRefractoryPeriod() {
        // a refractory period of three minutes: three readings
        DetectorSettings s =
                new DetectorSettings(
                        2, minutes(4), minutes(1), 4, 0.001, 5, 0.0, 2, 0.5, minutes(3), 4032, 0.5);
        AnomalyDetector d = new AnomalyDetector(s, MINUTE);
        double[][] none = each(Double.NaN, Double.NaN);
        d.update(0, none, s);
        d.update(10, none, s);
        d.update(5, none, s);
        AnomalyDetector.Scores first = d.update(20, none, s); // out of range: an alert
        assertThat(first.alert()).isEqualTo(first.score()).isGreaterThan(0.5);
        AnomalyDetector.Scores higher = d.update(60, none, s); // higher still, but resting
        assertThat(higher.score()).isGreaterThan(first.score());
        assertThat(higher.alert()).isZero();
        assertThat(d.update(5, none, s).alert()).isZero();
        assertThat(d.update(5, none, s).alert()).isZero();
        // rest over; a new maximum beyond every recent score alerts again
        AnomalyDetector.Scores again = d.update(200, none, s);
        assertThat(again.alert()).isEqualTo(again.score()).isGreaterThan(0.5);
    }

    @Test
    void theForecastErrorIsTheMeanOfTheModelsAndPersistencesError() {
        AnomalyDetector d = new AnomalyDetector(LIKELIHOOD_ONLY);
        d.update(0, 0, Double.NaN, LIKELIHOOD_ONLY); // no forecast, no last reading: untouched
        assertThat(d.streams[0].errorsSize).isZero();
        // model 4, last reading 0, actual 10 (range 10): (|10 − 4| + |10 − 0|) / 2 / 10 = 0.8
        d.update(HOUR, 10, 4, LIKELIHOOD_ONLY);
        assertThat(d.streams[0].errors[0]).isCloseTo(0.8, within(1e-12));
        // a perfect model halves persistence's error: (0 + |5 − 10|) / 2 / 10 = 0.25
        d.update(2 * HOUR, 5, 5, LIKELIHOOD_ONLY);
        assertThat(d.streams[0].errors[0]).isCloseTo(0.25, within(1e-12));
        // the persistence forecaster itself: its error, unchanged
        d.update(3 * HOUR, 7, 5, LIKELIHOOD_ONLY);
        assertThat(d.streams[0].errors[0]).isCloseTo(0.2, within(1e-12));
        double[] even = {1, 1};
        assertThat(AnomalyDetector.meanAbsoluteError(1, new double[] {Double.NaN, 3}, even))
                .isEqualTo(2);
        double[] firstOnly = {1, 0};
        assertThat(AnomalyDetector.meanAbsoluteError(1, new double[] {Double.NaN, 3}, firstOnly))
                .isNaN();
        double[] uneven = {3, 1};
        assertThat(AnomalyDetector.meanAbsoluteError(0, new double[] {1, 5}, uneven))
                .isEqualTo(2); // (3·1 + 1·5) / 4
    }

    @Test
    void aPersistenceWeightOfZeroJudgesTheForecastAlone() {
        DetectorSettings s = LIKELIHOOD_ONLY.withPersistenceWeight(0);
        AnomalyDetector d = new AnomalyDetector(s);
        d.update(0, 0, Double.NaN, s);
        d.update(HOUR, 10, 4, s); // |10 − 4| / 10, the last reading ignored
        assertThat(d.streams[0].errors[0]).isCloseTo(0.6, within(1e-12));
        assertThatThrownBy(() -> s.withPersistenceWeight(1.5))
                .hasMessageContaining("persistenceWeight must be in [0, 1]");
    }

    @Test
    void comparesWithTheValueOneWeekEarlierAtAnyInterval() {
        DetectorSettings s = DetectorSettings.defaults();
        AnomalyDetector hourly = new AnomalyDetector(s);
        for (int i = 0; i < 2 * 168; i++) {
            hourly.update(i * HOUR, i % 168, i == 0 ? Double.NaN : (i - 1) % 168, s);
        }
        assertThat(hourly.history).hasSize(168); // a week of hourly readings
        assertThat(hourly.streams[1].levelsSeen).isEqualTo(168); // judged from week two on
        // 10,080 readings a week, more than max-week-lag (4,032): means of three readings
        AnomalyDetector everyMinute = new AnomalyDetector(s);
        for (int i = 0; i < 10_080 + 3; i++) {
            everyMinute.update(i * MINUTE, i / 3 % 3360, Double.NaN, s);
        }
        assertThat(everyMinute.weekBlock).isEqualTo(3);
        assertThat(everyMinute.history).hasSize(3360);
        // the ring is full; its oldest value is the mean of the readings a week back
        assertThat(everyMinute.historySize).isEqualTo(3360);
        assertThat(everyMinute.history[everyMinute.historyNext]).isEqualTo(1f);
        // a sensor read less than once a week has no week stream
        AnomalyDetector weekly = new AnomalyDetector(s);
        weekly.update(0, 1, Double.NaN, s);
        weekly.update(8 * 24 * HOUR, 1, 1, s);
        assertThat(weekly.history).isEmpty();
    }

    @Test
    void timeConstantsBecomeReadingsAtTheSensorsOwnInterval() {
        DetectorSettings s = DetectorSettings.defaults(); // 30 d history, 500 min, 50 h
        AnomalyDetector fiveMinutes = new AnomalyDetector(s);
        fiveMinutes.update(0, 1, Double.NaN, s);
        fiveMinutes.update(5 * MINUTE, 1, 1, s);
        assertThat(fiveMinutes.intervalMs).isEqualTo(5 * MINUTE);
        assertThat(fiveMinutes.refractoryReadings).isEqualTo(600);
        assertThat(fiveMinutes.streams[0].blockSize).isEqualTo(100);
        assertThat(fiveMinutes.streams[0].blockSums).hasSize(87); // ⌈8,640 / 100⌉
        AnomalyDetector hourly = new AnomalyDetector(s, HOUR);
        assertThat(hourly.refractoryReadings).isEqualTo(50);
        assertThat(hourly.streams[0].blockSize).isEqualTo(8);
        assertThat(hourly.streams[0].blockSums).hasSize(90); // ⌈720 / 8⌉
        // a repeated timestamp is no interval: the first positive gap is
        AnomalyDetector repeated = new AnomalyDetector(s);
        repeated.update(0, 1, Double.NaN, s);
        repeated.update(0, 1, 1, s);
        assertThat(repeated.intervalMs).isZero();
        repeated.update(MINUTE, 1, 1, s);
        assertThat(repeated.intervalMs).isEqualTo(MINUTE);
    }

    /**
     * The same sensor read every minute and every five minutes (the five-minute readings the means
     * of the one-minute ones) scores its anomalies at the same times: a day's cycle with noise, an
     * excursion out of its range on day 9 and a burst of noise within its range on day 13. Each is
     * first scored at or above the threshold in both series, at most one short window of the
     * coarser series apart (10 readings × 5 minutes: the short window is a sample, a count). Chance
     * alarms elsewhere are not the same ones (a finer interval has more readings to raise one), so
     * they are only bounded: at most two in the 15 days after the first, in each series.
     */
    @Test
    void theSameSeriesAtTwoIntervalsScoresItsAnomaliesAtTheSameTimes() {
        int days = 16;
        int n = days * 1440;
        double[] minute = new double[n];
        java.util.Random random = new java.util.Random(7);
        long[][] planted = {
            {9 * 1440, 9 * 1440 + 120}, // two hours far above the range
            {13 * 1440 + 600, 13 * 1440 + 780} // three hours of heavy noise
        };
        for (int i = 0; i < n; i++) {
            minute[i] = 50 + 20 * Math.sin(2 * Math.PI * i / 1440.0) + random.nextGaussian();
            if (i >= planted[0][0] && i < planted[0][1]) {
                minute[i] += 60;
            }
            if (i >= planted[1][0] && i < planted[1][1]) {
                minute[i] += 40 * random.nextGaussian();
            }
        }
        double[] five = new double[n / 5];
        for (int i = 0; i < five.length; i++) {
            for (int j = 0; j < 5; j++) {
                five[i] += minute[5 * i + j] / 5;
            }
        }
        double[][] a = scores(minute, MINUTE);
        double[][] b = scores(five, 5 * MINUTE);
        for (long[] p : planted) {
            long start = p[0] * MINUTE;
            long end = p[1] * MINUTE;
            long inA = firstAtThreshold(a, MINUTE, start, end);
            long inB = firstAtThreshold(b, 5 * MINUTE, start, end);
            assertThat(inA).as("found every minute").isBetween(start, end);
            assertThat(inB).as("found every five minutes").isBetween(start, end);
            assertThat(Math.abs(inA - inB))
                    .isLessThanOrEqualTo(DetectorSettings.defaults().shortWindow() * 5 * MINUTE);
        }
        assertThat(chanceAlarms(a, MINUTE, planted)).isLessThanOrEqualTo(2);
        assertThat(chanceAlarms(b, 5 * MINUTE, planted)).isLessThanOrEqualTo(2);
    }

    /** Each reading's score and alert, persistence as forecast, the defaults. */
    private static double[][] scores(double[] values, long interval) {
        DetectorSettings s = DetectorSettings.defaults();
        AnomalyDetector d = new AnomalyDetector(s);
        double[][] out = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            double forecast = i == 0 ? Double.NaN : values[i - 1];
            AnomalyDetector.Scores r = d.update(i * interval, values[i], forecast, s);
            out[i] = new double[] {r.score(), r.alert()};
        }
        return out;
    }

    /** The time of the first score at or above the threshold in [start, end]; -1 for none. */
    private static long firstAtThreshold(double[][] scores, long interval, long start, long end) {
        for (int i = 0; i < scores.length; i++) {
            long t = i * interval;
            if (t >= start && t <= end && scores[i][0] >= DetectorSettings.defaults().threshold()) {
                return t;
            }
        }
        return -1;
    }

    /** Alerts at or above the threshold after the first day, a day or more from every anomaly. */
    private static int chanceAlarms(double[][] scores, long interval, long[][] planted) {
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            long t = i * interval;
            boolean near = false;
            for (long[] p : planted) {
                near |= t >= p[0] * MINUTE - 24 * HOUR && t <= p[1] * MINUTE + 24 * HOUR;
            }
            if (t >= 24 * HOUR
                    && !near
                    && scores[i][1] >= DetectorSettings.defaults().threshold()) {
                n++;
            }
        }
        return n;
    }
}
