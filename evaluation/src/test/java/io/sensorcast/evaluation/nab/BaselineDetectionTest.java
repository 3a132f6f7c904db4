package io.sensorcast.evaluation.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.evaluation.nab.BaselineDetection.Forecaster;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import org.junit.jupiter.api.Test;

class BaselineDetectionTest {

    private static final long FIVE_MINUTES = 300_000;
    private static final BaselineDetection.Schedule SCHEDULE =
            new BaselineDetection.Schedule(48, 500, 3000, 3000);

    /** Three weeks of a noisy daily cycle on a 5-minute grid, a spike at {@code spikeAt}. */
    private static double[] series(int n, int spikeAt) {
        java.util.Random random = new java.util.Random(7);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 10 * Math.sin(2 * Math.PI * i / 288) + 0.3 * random.nextGaussian();
        }
        v[spikeAt] += 40;
        return v;
    }

    private static long[] times(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_700_000_000_000L + i * FIVE_MINUTES;
        }
        return t;
    }

    @Test
    void everyForecasterFlagsASpikeAndNothingElseInAQuietDailyCycle() {
        int n = 3 * 2016;
        int spike = 5000;
        for (Forecaster f : Forecaster.values()) {
            double[] alerts =
                    BaselineDetection.alerts(
                            times(n), series(n, spike), f, SCHEDULE, DetectorSettings.defaults());
            assertThat(alerts[0]).isZero();
            assertThat(alerts[spike]).as("%s at the spike", f).isGreaterThanOrEqualTo(0.5);
            int elsewhere = 0;
            for (int i = 600; i < n; i++) {
                if (i != spike && alerts[i] >= 0.5) {
                    elsewhere++;
                }
            }
            assertThat(elsewhere).as("%s: alerts off the spike", f).isLessThanOrEqualTo(2);
        }
    }

    /** Worked by hand on {@code v[k] = k²}, window 3, a day of 2 readings, a week of 14. */
    @Test
    void seasonalChannelsAreTheReadingsADayAndAWeekBeforeEachNextReading() {
        double[] v = new double[17];
        for (int k = 0; k < v.length; k++) {
            v[k] = k * k;
        }
        // reading 16: window rows 13, 14 against v[15] = 225; a day before rows 14, 15 are
        // rows 12, 13 against 14 (196); a week before them, rows 0, 1 against 2 (4)
        assertThat(BaselineDetection.seasonalInputs(v, 16, 3, 2))
                .containsExactly(-56, -29, -52, -27, -4, -3);
        // reading 10: no week of history yet, so the day-ago channel stands in for it
        assertThat(BaselineDetection.seasonalInputs(v, 10, 3, 2))
                .containsExactly(-32, -17, -28, -15, -28, -15);
    }

    @Test
    void parsesForecasterNamesAndRefusesOthers() {
        assertThat(Forecaster.parse("seasonal-naive")).isEqualTo(Forecaster.SEASONAL_NAIVE);
        assertThatThrownBy(() -> Forecaster.parse("arima"))
                .hasMessage(
                        "forecaster must be persistence, seasonal-naive, linear or linear-seasonal;"
                                + " got 'arima'");
    }
}
