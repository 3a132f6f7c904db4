package io.sensorcast.pipeline.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The detector's pieces against hand-worked cases. */
class AnomalyDetectorTest {

    private static final long HOUR = 3_600_000;

    /** Likelihood only: one-error levels, four of history, re-estimated every reading. */
    private static final DetectorSettings LIKELIHOOD_ONLY =
            new DetectorSettings(1, 4, 1, 4, 0.001, 5, 10, 0, 0.5, 0, 4032, 0.5);

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
        AnomalyDetector d = new AnomalyDetector(LIKELIHOOD_ONLY);
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
        DetectorSettings s = new DetectorSettings(1, 4, 1, 4, 0.001, 5, 0.02, 2, 0.5, 0, 4032, 0.5);
        AnomalyDetector d = new AnomalyDetector(s);
        d.update(0, each(Double.NaN, Double.NaN), s);
        d.update(10, each(Double.NaN, Double.NaN), s);
        d.update(5, each(Double.NaN, Double.NaN), s);
        // within max + 2% of the range: not out of range
        assertThat(d.update(10.19, each(Double.NaN, Double.NaN), s).score()).isZero();
        // range 10.19, bound 10.19 + 0.2038; 12.3938 is 2 past: x = 2/10.19,
        // score (1 + 10x) / (2 + 10x) = 0.74764
        assertThat(d.update(12.3938, each(Double.NaN, Double.NaN), s).score())
                .isCloseTo(0.74764, within(1e-4));
        AnomalyDetector far = new AnomalyDetector(s);
        far.update(0, each(Double.NaN, Double.NaN), s);
        far.update(10, each(Double.NaN, Double.NaN), s);
        far.update(5, each(Double.NaN, Double.NaN), s);
        double gross = far.update(1000, each(Double.NaN, Double.NaN), s).score();
        assertThat(gross).isGreaterThan(0.99).isLessThan(1); // ranks above, never saturates
    }

    @Test
    void alertsOnceAtAnExcursionsOnsetAndThenRestsForTheRefractoryPeriod() {
        DetectorSettings s = new DetectorSettings(2, 4, 1, 4, 0.001, 5, 0.0, 2, 0.5, 3, 4032, 0.5);
        AnomalyDetector d = new AnomalyDetector(s);
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
    void comparesWithTheValueOneWeekEarlierByReadingCount() {
        DetectorSettings s = DetectorSettings.defaults();
        AnomalyDetector hourly = new AnomalyDetector(s);
        for (int i = 0; i < 2 * 168; i++) {
            hourly.update(i * HOUR, i % 168, i == 0 ? Double.NaN : (i - 1) % 168, s);
        }
        assertThat(hourly.history).hasSize(168); // a week of hourly readings
        assertThat(hourly.streams[1].levelsSeen).isEqualTo(168); // judged from week two on
        AnomalyDetector everyMinute = new AnomalyDetector(s);
        everyMinute.update(0, 1, Double.NaN, s);
        everyMinute.update(60_000, 1, 1, s);
        assertThat(everyMinute.history).isEmpty(); // 10,080 readings a week > max-week-lag
    }
}
