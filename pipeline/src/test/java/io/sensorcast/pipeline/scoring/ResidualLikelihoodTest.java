package io.sensorcast.pipeline.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResidualLikelihoodTest {

    @Test
    void normalCdfMatchesKnownValues() {
        assertThat(ResidualLikelihood.normalCdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(ResidualLikelihood.normalCdf(1.959964)).isCloseTo(0.975, within(1e-6));
        assertThat(ResidualLikelihood.normalCdf(-1.644854)).isCloseTo(0.05, within(1e-6));
        assertThat(ResidualLikelihood.normalCdf(3.719016)).isCloseTo(0.9999, within(1e-6));
    }

    @Test
    void scoresZeroUntilItHasEnoughHistory() {
        ResidualLikelihood s = new ResidualLikelihood(100, 5, 20);
        for (int i = 0; i < 20; i++) {
            assertThat(s.update(i % 2 == 0 ? 1 : -1)).isZero();
        }
        assertThat(s.update(1)).isPositive();
    }

    @Test
    void flagsASustainedJumpInErrorsButNotUsualNoise() {
        Random random = new Random(1);
        ResidualLikelihood s = new ResidualLikelihood(500, 10, 50);
        double maxUsual = 0;
        for (int i = 0; i < 2000; i++) {
            double score = s.update(random.nextGaussian());
            if (i > 500) {
                maxUsual = Math.max(maxUsual, score);
            }
        }
        double peak = 0;
        for (int i = 0; i < 10; i++) {
            peak = Math.max(peak, s.update(6 + random.nextGaussian()));
        }
        assertThat(peak).isGreaterThan(0.9999);
        assertThat(maxUsual).isLessThan(peak);
    }

    @Test
    void alertsOnceAtTheOnsetOfAnExcursion() {
        ResidualLikelihood l = new ResidualLikelihood(100, 3, 10);
        // scores fed directly: a rise over 0.2 .. 0.9, a plateau at 0.9, a fall, a new rise
        double[] scores = {0.2, 0.5, 0.9, 0.9, 0.9, 0.3, 0.1, 0.1, 0.1, 0.95};
        double[] expected = {0.2, 0.5, 0.9, 0, 0, 0, 0, 0, 0, 0.95};
        for (int i = 0; i < scores.length; i++) {
            assertThat(l.alert(scores[i])).as("reading %d", i).isEqualTo(expected[i]);
        }
        // only the last three scores count
        assertThat(l.alert(0.35)).isZero();
        assertThat(l.alert(0.1)).isZero();
        assertThat(l.alert(0.1)).isZero();
        assertThat(l.alert(0.4)).isEqualTo(0.4); // above 0.35, 0.1, 0.1: the 0.95 has left
    }

    @Test
    void isScaleFree() {
        ResidualLikelihood small = new ResidualLikelihood(200, 5, 20);
        ResidualLikelihood large = new ResidualLikelihood(200, 5, 20);
        Random a = new Random(3);
        Random b = new Random(3);
        for (int i = 0; i < 300; i++) {
            double x = a.nextGaussian();
            double y = b.nextGaussian() * 1000;
            assertThat(small.update(x)).isCloseTo(large.update(y), within(1e-9));
        }
    }

    @Test
    void stateStaysBounded() {
        ResidualLikelihood s = new ResidualLikelihood(50, 5, 10);
        for (int i = 0; i < 10_000; i++) {
            s.update(i);
        }
        assertThat(s.errors).hasSize(50);
        assertThat(s.size).isEqualTo(50);
    }

    @Test
    void rejectsWindowsOutOfRange() {
        assertThatThrownBy(() -> new ResidualLikelihood(10, 11, 5))
                .hasMessage("short window must be in [1, 10], got 11");
    }
}
