package io.sensorcast.model.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.model.dataset.Standardizer;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.dataset.WindowedSeries;
import io.sensorcast.model.manifest.ForecastMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    private static WindowedSeries windows(double[] series, int window, int horizon) {
        List<String> stamps = new ArrayList<>();
        for (int i = 0; i < series.length; i++) {
            stamps.add("t" + i);
        }
        TimeSeriesTable table = new TimeSeriesTable(stamps, List.of("v"), new double[][] {series});
        return WindowedSeries.of(
                table,
                new int[] {0},
                new Standardizer(new double[] {0}, new double[] {1}),
                new WindowSpec(window, horizon, 1),
                new TimeSplit.Period(0, series.length));
    }

    @Test
    void persistenceRepeatsTheLastValue() {
        WindowedSeries w = windows(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        float[] p = new PersistenceForecaster(new int[] {0}).predict(w);
        // windows: [1,2,3]->[4,5], [2,3,4]->[5,6]
        assertThat(p).containsExactly(3, 3, 4, 4);
    }

    @Test
    void seasonalNaiveRepeatsTheLastPeriod() {
        WindowedSeries w = windows(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 3);
        float[] p = new SeasonalNaiveForecaster(2, new int[] {0}).predict(w);
        // first window [1,2,3,4]: last period [3,4] -> 3, 4, 3
        assertThat(p[0]).isEqualTo(3f);
        assertThat(p[1]).isEqualTo(4f);
        assertThat(p[2]).isEqualTo(3f);
        assertThatThrownBy(() -> new SeasonalNaiveForecaster(5, new int[] {0}).predict(w))
                .hasMessageContaining("at most the window (4 rows)");
    }

    @Test
    void linearRecoversAnExactLinearRecurrence() {
        // x_t = 1.6 x_{t-1} - 0.8 x_{t-2} + 0.5 + small noise-free drive
        Random random = new Random(1);
        double[] s = new double[400];
        s[0] = random.nextGaussian();
        s[1] = random.nextGaussian();
        for (int t = 2; t < s.length; t++) {
            s[t] = 1.6 * s[t - 1] - 0.8 * s[t - 2] + 0.5 + (t % 37 == 0 ? 3 : 0);
        }
        WindowedSeries w = windows(s, 5, 1);
        LinearForecaster linear = LinearForecaster.fit(w);
        float[] p = linear.predict(w);
        int misses = 0;
        for (int i = 0; i < w.size(); i++) {
            // every one-step target except the externally driven rows is exactly linear
            if ((w.origin(i)) % 37 != 0) {
                assertThat((double) p[i]).isCloseTo(w.label(i, 0, 0), within(0.2));
            } else {
                misses++;
            }
        }
        assertThat(misses).isPositive();
        ForecastMetrics m =
                ForecastMetrics.of(
                        p, w, new Standardizer(new double[] {0}, new double[] {1}), new int[] {0});
        ForecastMetrics persistence =
                ForecastMetrics.of(
                        new PersistenceForecaster(new int[] {0}).predict(w),
                        w,
                        new Standardizer(new double[] {0}, new double[] {1}),
                        new int[] {0});
        assertThat(m.mse()).isLessThan(persistence.mse());
    }

    @Test
    void metricsMatchHandComputedValues() {
        // one window, horizon 2: actual 2 and 4 (standardised); predicted 3 and 2
        WindowedSeries w = windows(new double[] {0, 2, 4}, 1, 2);
        assertThat(w.size()).isEqualTo(1);
        Standardizer scaler = new Standardizer(new double[] {10}, new double[] {2});
        ForecastMetrics m = ForecastMetrics.of(new float[] {3, 2}, w, scaler, new int[] {0});
        assertThat(m.mse()).isCloseTo((1 + 4) / 2.0, within(1e-12));
        assertThat(m.mae()).isCloseTo((1 + 2) / 2.0, within(1e-12));
        // original units: actual 14, 18; predicted 16, 14
        assertThat(m.maeOriginal()).isCloseTo((2 + 4) / 2.0, within(1e-12));
        assertThat(m.rmseOriginal()).isCloseTo(Math.sqrt((4 + 16) / 2.0), within(1e-12));
        double smape = 100 * (2.0 * 2 / 30 + 2.0 * 4 / 32) / 2;
        assertThat(m.smape()).isCloseTo(smape, within(1e-9));
    }
}
