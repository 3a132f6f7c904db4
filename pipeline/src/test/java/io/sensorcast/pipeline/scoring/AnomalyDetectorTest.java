package io.sensorcast.pipeline.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The detector's pieces against hand-worked cases. */
class AnomalyDetectorTest {

    private static final long HOUR = 3_600_000;

    /** Likelihood only: one-error levels, four of history, re-estimated every reading. */
    private static final DetectorSettings LIKELIHOOD_ONLY =
            new DetectorSettings(1, 4, 1, 4, 0.001, 5, 10, 0, 0.5, 0, 4032);

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
            d.update(r[0], new double[] {r[1], Double.NaN}, LIKELIHOOD_ONLY);
        }
        // history 0.1, 0.3, 0.1, 0.3: mean 0.2, spread 0.1; error 0.5 is z = 3,
        // P = 1.3499e-3, L = 2.86970, score L / (L + 5) = 0.364652
        AnomalyDetector.Scores s = d.update(10, new double[] {5, Double.NaN}, LIKELIHOOD_ONLY);
        assertThat(s.score()).isCloseTo(0.364652, within(1e-5));
        assertThat(s.alert()).isCloseTo(0.364652, within(1e-5)); // above every recent score
    }

    @Test
    void scoresAReadingOutOfRangeHigherTheFurtherOut() {
        DetectorSettings s = new DetectorSettings(1, 4, 1, 4, 0.001, 5, 0.02, 2, 0.5, 0, 4032);
        AnomalyDetector d = new AnomalyDetector(s);
        d.update(0, new double[] {Double.NaN, Double.NaN}, s);
        d.update(10, new double[] {Double.NaN, Double.NaN}, s);
        d.update(5, new double[] {Double.NaN, Double.NaN}, s);
        // within max + 2% of the range: not out of range
        assertThat(d.update(10.19, new double[] {Double.NaN, Double.NaN}, s).score()).isZero();
        // range 10.19, bound 10.19 + 0.2038; 12.3938 is 2 past: x = 2/10.19,
        // score (1 + 10x) / (2 + 10x) = 0.74764
        assertThat(d.update(12.3938, new double[] {Double.NaN, Double.NaN}, s).score())
                .isCloseTo(0.74764, within(1e-4));
        AnomalyDetector far = new AnomalyDetector(s);
        far.update(0, new double[] {Double.NaN, Double.NaN}, s);
        far.update(10, new double[] {Double.NaN, Double.NaN}, s);
        far.update(5, new double[] {Double.NaN, Double.NaN}, s);
        double gross = far.update(1000, new double[] {Double.NaN, Double.NaN}, s).score();
        assertThat(gross).isGreaterThan(0.99).isLessThan(1); // ranks above, never saturates
    }

    @Test
    void alertsOnceAtAnExcursionsOnsetAndThenRestsForTheRefractoryPeriod() {
        DetectorSettings s = new DetectorSettings(2, 4, 1, 4, 0.001, 5, 0.0, 2, 0.5, 3, 4032);
        AnomalyDetector d = new AnomalyDetector(s);
        double[] none = {Double.NaN, Double.NaN};
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
