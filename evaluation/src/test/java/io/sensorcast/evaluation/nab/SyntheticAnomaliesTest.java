package io.sensorcast.evaluation.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.evaluation.nab.SyntheticAnomalies.Type;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyntheticAnomaliesTest {

    private static final long FIVE_MINUTES = 300_000;

    /** Two weeks of 5-minute readings of a daily cycle with noise. */
    private static NabSeries daily() {
        int n = 4032;
        long[] t = new long[n];
        double[] v = new double[n];
        Random random = new Random(3);
        for (int i = 0; i < n; i++) {
            t[i] = i * FIVE_MINUTES;
            v[i] = 10 + 5 * Math.sin(2 * Math.PI * i / 288.0) + 0.3 * random.nextGaussian();
        }
        return new NabSeries("daily", t, v, List.of());
    }

    /** The readings {@code s} changed from {@code base}. */
    private static int changed(NabSeries base, NabSeries s) {
        int n = 0;
        for (int i = 0; i < base.values().length; i++) {
            n += base.values()[i] != s.values()[i] ? 1 : 0;
        }
        return n;
    }

    @Test
    void eachTypeChangesWhatItNamesAndLabelsItsStart() {
        NabSeries base = daily();
        for (Type type : Type.values()) {
            NabSeries s = SyntheticAnomalies.inject(base, type, 2, new Random(1));
            assertThat(s.windows()).as("%s", type).hasSize(1);
            NabScorer.Window w = s.windows().get(0);
            int start = (int) (NabSeries.epochMs(w.start()) / FIVE_MINUTES);
            assertThat(start).isBetween(2016, 3428); // 50% to 85% of the series
            assertThat(NabSeries.epochMs(w.end()) / FIVE_MINUTES - start).isEqualTo(403);
            int from = start;
            int changed = changed(base, s);
            switch (type) {
                case SPIKE -> {
                    assertThat(changed).isEqualTo(1);
                    assertThat(s.values()[from] - base.values()[from]).isPositive();
                }
                case LEVEL_SHIFT -> assertThat(changed).isEqualTo(4032 - from);
                case VARIANCE_CHANGE, FREQUENCY_CHANGE ->
                        assertThat(changed).isBetween(60, 72); // six hours of 5-minute readings
                case FLAT_LINE -> {
                    assertThat(changed).isBetween(60, 71); // held six hours (3 × 2)
                    assertThat(s.values()[from + 10]).isEqualTo(s.values()[from]);
                }
                case TREND_CHANGE -> {
                    assertThat(changed).isEqualTo(4032 - from - 1); // zero at its start
                    assertThat(s.values()[4031] - base.values()[4031])
                            .isGreaterThan(s.values()[from + 10] - base.values()[from + 10]);
                }
            }
        }
        // seeded: the same seed, the same anomaly
        assertThat(SyntheticAnomalies.inject(base, Type.SPIKE, 2, new Random(9)).windows())
                .isEqualTo(SyntheticAnomalies.inject(base, Type.SPIKE, 2, new Random(9)).windows());
    }

    @Test
    void aLargerLevelShiftIsAsLargeAsItsSizeSays() {
        NabSeries base = daily();
        NabSeries s = SyntheticAnomalies.inject(base, Type.LEVEL_SHIFT, 4, new Random(1));
        int last = 4031;
        double shift = s.values()[last] - base.values()[last];
        assertThat(shift).isGreaterThan(10); // 4σ of a 5-amplitude cycle: about 14
    }

    @Test
    void scoresEveryTypeAndSizeOverItsBases() throws Exception {
        SyntheticAnomalies suite =
                new SyntheticAnomalies(List.of(daily()), DetectorSettings.defaults(), 1);
        StringWriter text = new StringWriter();
        List<SyntheticAnomalies.Row> rows = suite.run(new PrintWriter(text));
        assertThat(rows).hasSize(Type.values().length * 3);
        assertThat(rows).allSatisfy(r -> assertThat(r.series()).isEqualTo(1));
        // a large level shift of a clean cycle is found
        SyntheticAnomalies.Row shift =
                rows.stream()
                        .filter(
                                r ->
                                        r.type().equals("level shift")
                                                && r.magnitude().equals("large"))
                        .findFirst()
                        .orElseThrow();
        assertThat(shift.recall()).isEqualTo(1.0, within(0.0));
        assertThat(text.toString()).contains("frequency change").contains("flat line");
    }
}
