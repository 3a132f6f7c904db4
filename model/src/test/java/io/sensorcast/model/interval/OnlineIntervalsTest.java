package io.sensorcast.model.interval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnlineIntervalsTest {

    private static final IntervalLevels LEVELS = IntervalLevels.DEFAULT;

    /** A one-step forecaster that predicts 0 for a series of Gaussian noise of {@code sigma}. */
    private static IntervalScore run(OnlineIntervals b, double[] noise, int from) {
        IntervalScore score = new IntervalScore(LEVELS);
        double[] lo = new double[LEVELS.size()];
        double[] hi = new double[LEVELS.size()];
        for (int t = 0; t < noise.length; t++) {
            if (t >= from && b.ready(0)) {
                b.bounds(0, 0, LEVELS, lo, hi);
                score.add(noise[t], lo, hi);
            }
            b.observe(noise[t], LEVELS, OnlineIntervals.DEFAULT_RATE);
            b.push(new float[] {0}, LEVELS);
        }
        return score;
    }

    private static double[] gaussian(Random random, int n, double sigma) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = sigma * random.nextGaussian();
        }
        return x;
    }

    /** On Gaussian errors of any size the bands hold their nominal share, within 2 points. */
    @ParameterizedTest
    @ValueSource(doubles = {0.01, 1, 300})
    void gaussianErrorsAreCoveredAtTheNominalLevels(double sigma) {
        IntervalScore score =
                run(OnlineIntervals.create(1, LEVELS), gaussian(new Random(11), 20_000, sigma), 0);
        // the first reading settles nothing
        assertThat(score.count()).isEqualTo(20_000 - 1 - OnlineIntervals.WARM_UP);
        assertThat(score.coverage(0)).isCloseTo(0.80, within(0.02));
        assertThat(score.coverage(1)).isCloseTo(0.95, within(0.02));
        // and no wider than they need be: a Gaussian's central 80% and 95% are 2.56 and 3.92 sigma
        assertThat(score.meanWidth(0) / sigma).isCloseTo(2.563, within(0.15));
        assertThat(score.meanWidth(1) / sigma).isCloseTo(3.920, within(0.25));
    }

    /** When the noise grows fourfold the bands follow: coverage holds over the next readings. */
    @Test
    void theBandsFollowAChangeOfNoise() {
        Random random = new Random(5);
        double[] before = gaussian(random, 5_000, 1);
        double[] after = gaussian(random, 2_000, 4);
        double[] series = new double[before.length + after.length];
        System.arraycopy(before, 0, series, 0, before.length);
        System.arraycopy(after, 0, series, before.length, after.length);
        IntervalScore score = run(OnlineIntervals.create(1, LEVELS), series, before.length);
        assertThat(score.coverage(0)).isCloseTo(0.80, within(0.03));
        assertThat(score.coverage(1)).isCloseTo(0.95, within(0.03));
        assertThat(score.meanWidth(1)).isCloseTo(4 * 3.92, within(4 * 0.6));
    }

    /** Heavy tails (Student t, 3 degrees of freedom) are not Gaussian: the trackers learn them. */
    @Test
    void heavyTailedErrorsAreCoveredToo() {
        Random random = new Random(3);
        double[] t3 = new double[20_000];
        for (int i = 0; i < t3.length; i++) {
            double chi = 0;
            for (int k = 0; k < 3; k++) {
                double g = random.nextGaussian();
                chi += g * g;
            }
            t3[i] = random.nextGaussian() / Math.sqrt(chi / 3);
        }
        IntervalScore score = run(OnlineIntervals.create(1, LEVELS), t3, 0);
        assertThat(score.coverage(0)).isCloseTo(0.80, within(0.02));
        assertThat(score.coverage(1)).isCloseTo(0.95, within(0.02));
    }

    /**
     * Step {@code k} of a forecast is settled by the reading {@code k} later: a three-step
     * forecaster whose step {@code k} errs by {@code k} times the noise gets bands {@code k} times
     * as wide at step {@code k}.
     */
    @Test
    void eachStepIsCalibratedOnItsOwnErrors() {
        Random random = new Random(9);
        int horizon = 3;
        OnlineIntervals b = OnlineIntervals.create(horizon, LEVELS);
        int n = 6_000;
        double[] x = new double[n + horizon];
        float[][] made = new float[n][horizon];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < horizon; k++) {
                // the forecast of reading t+k+1 is that reading, off by (k+1) x noise
                made[t][k] = (float) (random.nextGaussian() * (k + 1));
            }
        }
        // the readings are 0: each forecast's error at step k is minus its noise
        double[][] widths = new double[horizon][1];
        double[] lo = new double[2];
        double[] hi = new double[2];
        for (int t = 0; t < n; t++) {
            b.observe(x[t], LEVELS, OnlineIntervals.DEFAULT_RATE);
            b.push(made[t], LEVELS);
            if (t > n / 2) {
                for (int k = 0; k < horizon; k++) {
                    b.bounds(k, 0, LEVELS, lo, hi);
                    widths[k][0] += hi[1] - lo[1];
                }
            }
        }
        assertThat(widths[1][0] / widths[0][0]).isCloseTo(2, within(0.25));
        assertThat(widths[2][0] / widths[0][0]).isCloseTo(3, within(0.35));
        assertThat(b.count[2]).isEqualTo(n - horizon); // the last forecasts wait
    }

    /** A gap breaks the chain: the forecasts made before it are not settled by readings after. */
    @Test
    void aBrokenChainSettlesNothing() {
        OnlineIntervals b = OnlineIntervals.create(2, LEVELS);
        b.observe(1, LEVELS, 0.05);
        b.push(new float[] {1, 1}, LEVELS);
        b.breakChain();
        b.observe(100, LEVELS, 0.05);
        assertThat(b.count).containsExactly(0, 0);
        b.push(new float[] {100, 100}, LEVELS);
        b.observe(101, LEVELS, 0.05);
        assertThat(b.count).containsExactly(1, 0);
        assertThat(b.scale[0]).isCloseTo(1, within(1e-9));
    }

    @Test
    void theBandsOfHigherLevelsHoldThoseOfLowerOnes() {
        OnlineIntervals b = OnlineIntervals.create(1, LEVELS);
        b.scale[0] = 1;
        b.lower[0] = -3; // the 80% band's lower bound below the 95% band's
        b.upper[1] = 0.5; // the 95% band's upper bound inside the 80% band's
        double[] lo = new double[2];
        double[] hi = new double[2];
        b.bounds(0, 10, LEVELS, lo, hi);
        assertThat(lo[1]).isLessThanOrEqualTo(lo[0]);
        assertThat(hi[1]).isGreaterThanOrEqualTo(hi[0]);
    }

    @Test
    void theNormalQuantileIsRight() {
        assertThat(OnlineIntervals.normalQuantile(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(OnlineIntervals.normalQuantile(0.9)).isCloseTo(1.281552, within(1e-6));
        assertThat(OnlineIntervals.normalQuantile(0.001)).isCloseTo(-3.090232, within(1e-6));
    }

    @Test
    void levelsOutsideZeroToOneAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> IntervalLevels.of(List.of(0.8, 1.0)))
                .hasMessageContaining("(0, 1)");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> IntervalLevels.of(List.of(0.9, 0.9)))
                .hasMessageContaining("twice");
    }
}
