package io.sensorcast.model.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowedSeriesTest {

    /** Column a = row index, column b = 10 × row index: every value names its row. */
    static TimeSeriesTable ramp(int rows) {
        List<String> stamps = new ArrayList<>();
        double[][] values = new double[2][rows];
        for (int r = 0; r < rows; r++) {
            stamps.add("t" + r);
            values[0][r] = r;
            values[1][r] = 10.0 * r;
        }
        return new TimeSeriesTable(stamps, List.of("a", "b"), values);
    }

    private static final Standardizer IDENTITY =
            new Standardizer(new double[] {0, 0}, new double[] {1, 1});

    @Test
    void cutsWindowsWithInputsBeforeAndTargetsFromTheOrigin() {
        WindowedSeries w =
                WindowedSeries.of(
                        ramp(20),
                        new int[] {1},
                        IDENTITY,
                        new WindowSpec(4, 3, 1),
                        new TimeSplit.Period(0, 20));
        assertThat(w.size()).isEqualTo(20 - 4 - 3 + 1);
        for (int i = 0; i < w.size(); i++) {
            int origin = w.origin(i);
            assertThat(origin).isEqualTo(4 + i);
            for (int s = 0; s < 4; s++) {
                assertThat(w.input(i, s, 0)).isEqualTo(origin - 4 + s);
                assertThat(w.input(i, s, 1)).isEqualTo(10f * (origin - 4 + s));
            }
            for (int h = 0; h < 3; h++) {
                assertThat(w.label(i, h, 0)).isEqualTo(10f * (origin + h));
            }
        }
    }

    @Test
    void honoursStride() {
        WindowedSeries w =
                WindowedSeries.of(
                        ramp(30),
                        new int[] {0},
                        IDENTITY,
                        new WindowSpec(5, 2, 4),
                        new TimeSplit.Period(0, 30));
        assertThat(w.origin(0)).isEqualTo(5);
        assertThat(w.origin(1)).isEqualTo(9);
        assertThat(w.origin(w.size() - 1)).isLessThanOrEqualTo(28);
    }

    @Test
    void splitPeriodsNeverLeakTargetsAcrossBoundaries() {
        TimeSeriesTable table = ramp(100);
        TimeSplit split = new TimeSplit(60, 80, 100);
        WindowSpec spec = new WindowSpec(10, 5, 1);
        Standardizer scaler = Standardizer.fit(table, 0, split.trainEnd());
        int[] targets = {0};
        for (TimeSplit.Period period : List.of(split.train(), split.validation(), split.test())) {
            WindowedSeries w = WindowedSeries.of(table, targets, scaler, spec, period);
            assertThat(w.size()).isPositive();
            for (int i = 0; i < w.size(); i++) {
                int origin = w.origin(i);
                assertThat(origin).isGreaterThanOrEqualTo(period.from());
                assertThat(origin + spec.horizon()).isLessThanOrEqualTo(period.to());
                // inputs strictly before the first target row
                double lastInput = scaler.unscale(0, w.input(i, spec.window() - 1, 0));
                assertThat(lastInput).isCloseTo(origin - 1, within(1e-3));
            }
        }
        // training windows never see a validation row, even as input
        WindowedSeries train = WindowedSeries.of(table, targets, scaler, spec, split.train());
        assertThat(train.origin(train.size() - 1) + spec.horizon()).isEqualTo(split.trainEnd());
        // validation windows start right at the boundary, with inputs from the training period
        WindowedSeries validation =
                WindowedSeries.of(table, targets, scaler, spec, split.validation());
        assertThat(validation.origin(0)).isEqualTo(split.trainEnd());
        assertThat(validation.size()).isEqualTo(20 - 5 + 1);
    }

    @Test
    void concatenatesSeriesWithoutWindowsAcrossThem() {
        WindowSpec spec = new WindowSpec(3, 1, 1);
        WindowedSeries one =
                WindowedSeries.of(
                        ramp(10), new int[] {0}, IDENTITY, spec, new TimeSplit.Period(0, 10));
        WindowedSeries two =
                WindowedSeries.of(
                        ramp(6), new int[] {0}, IDENTITY, spec, new TimeSplit.Period(0, 6));
        WindowedSeries both = WindowedSeries.concat(List.of(one, two));
        assertThat(both.size()).isEqualTo(one.size() + two.size());
        assertThat(both.origin(one.size())).isEqualTo(3);
        assertThat(both.input(one.size(), 0, 0)).isEqualTo(0f);
        assertThat(both.label(both.size() - 1, 0, 0)).isEqualTo(5f);
    }

    @Test
    void rejectsScalerOfOtherWidth() {
        Standardizer one = new Standardizer(new double[] {0}, new double[] {1});
        assertThatThrownBy(
                        () ->
                                WindowedSeries.of(
                                        ramp(10),
                                        new int[] {0},
                                        one,
                                        new WindowSpec(3, 1, 1),
                                        new TimeSplit.Period(0, 10)))
                .hasMessageContaining("scaler has 1 columns, table has 2");
    }
}
