package io.sensorcast.evaluation.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.model.interval.IntervalLevels;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NabCoverageTest {

    /**
     * Readings inside a label window are left out, the rest judged against the job's bands and, on
     * the same readings, persistence's: on a random walk with unit steps, persistence's band is
     * right, and a job band of the walk's exact quantiles covers as often.
     */
    @Test
    void judgesTheBandsOutsideTheLabelWindowsBesidePersistences() {
        IntervalLevels levels = IntervalLevels.of(List.of(0.8));
        int n = 6_000;
        Random random = new Random(2);
        List<SensorReading> rows = new ArrayList<>();
        double x = 0;
        double[][] lower = new double[1][n];
        double[][] upper = new double[1][n];
        long t0 = 1_400_000_000_000L;
        for (int i = 0; i < n; i++) {
            double last = x;
            x += random.nextGaussian();
            rows.add(SensorReading.of("s", t0 + i * 60_000L, x));
            lower[0][i] = i == 0 ? Double.NaN : last - 1.2816;
            upper[0][i] = i == 0 ? Double.NaN : last + 1.2816;
        }
        // a window over the last 1,000 readings, where every band is made to miss
        for (int i = n - 1000; i < n; i++) {
            lower[0][i] = 1e9;
            upper[0][i] = 1e9 + 1;
        }
        LocalDateTime from =
                LocalDateTime.ofEpochSecond((t0 + (n - 1000) * 60_000L) / 1000, 0, ZoneOffset.UTC);
        List<NabScorer.Window> windows = List.of(new NabScorer.Window(from, from.plusDays(30)));

        NabCoverage coverage = new NabCoverage();
        coverage.add(
                new NabRun.Scored(
                        Path.of("s.csv"), rows, new double[n], new double[n], levels, lower, upper),
                windows);
        // every reading outside the window once persistence has 10 errors
        assertThat(coverage.job().count()).isEqualTo(n - 1000 - 11);
        assertThat(coverage.job().coverage(0)).isCloseTo(0.8, within(0.02));
        assertThat(coverage.baseline().coverage(0)).isCloseTo(0.8, within(0.03));
        assertThat(coverage.baseline().count()).isEqualTo(coverage.job().count());
    }
}
