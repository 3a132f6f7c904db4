package io.sensorcast.model.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StandardizerTest {

    @Test
    void usesTrainingRowsOnly() {
        TimeSeriesTable table = WindowedSeriesTest.ramp(100);
        Standardizer scaler = Standardizer.fit(table, 0, 50);
        // rows 0..49 of column a: mean 24.5, population std sqrt((50^2 - 1) / 12)
        assertThat(scaler.means()[0]).isCloseTo(24.5, within(1e-12));
        assertThat(scaler.stds()[0]).isCloseTo(Math.sqrt((2500 - 1) / 12.0), within(1e-9));

        // changing rows after the training period does not change the statistics
        double[][] values = new double[2][100];
        for (int r = 0; r < 100; r++) {
            values[0][r] = r < 50 ? r : 1e6;
            values[1][r] = r < 50 ? 10.0 * r : -1e6;
        }
        TimeSeriesTable altered = new TimeSeriesTable(timestamps(100), List.of("a", "b"), values);
        assertThat(Standardizer.fit(altered, 0, 50)).isEqualTo(scaler);
    }

    @Test
    void roundTripsValues() {
        Standardizer scaler = new Standardizer(new double[] {3, -2}, new double[] {2, 0.5});
        assertThat(scaler.scale(0, 7)).isEqualTo(2.0);
        assertThat(scaler.unscale(1, scaler.scale(1, 1.25))).isCloseTo(1.25, within(1e-12));
    }

    @Test
    void refusesConstantColumnByName() {
        double[][] values = {{1, 2, 3, 4}, {5, 5, 5, 5}};
        TimeSeriesTable table = new TimeSeriesTable(timestamps(4), List.of("ok", "flat"), values);
        assertThatThrownBy(() -> Standardizer.fit(table, 0, 4))
                .hasMessage("column 'flat' is constant over the training rows (zero variance)");
    }

    private static List<String> timestamps(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "t" + i).toList();
    }
}
