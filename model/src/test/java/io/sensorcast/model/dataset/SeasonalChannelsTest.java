package io.sensorcast.model.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeasonalChannelsTest {

    /** A "day" of 3 readings and a "week" of 7 at a 10 ms interval. */
    private static final List<Duration> LAGS =
            List.of(Duration.ofMillis(30), Duration.ofMillis(70));

    private static long[] regular(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = 10L * i;
        }
        return t;
    }

    private static double[][] squares(int n) {
        double[][] v = new double[1][n];
        for (int i = 0; i < n; i++) {
            v[0][i] = i * i;
        }
        return v;
    }

    @Test
    void aRowsChannelsAreTheReadingsALagBeforeTheNextOne() {
        double[][] c = new SeasonalChannels(LAGS, 7).of(regular(12), squares(12));
        // row 9: the day channel is reading 9 + 1 - 3 = 7, the week channel 9 + 1 - 7 = 3
        assertThat(c[0][9]).isEqualTo(49);
        assertThat(c[1][9]).isEqualTo(9);
        // row 5 has no reading a week before its next: the day channel stands in (5 + 1 - 3 = 3)
        assertThat(c[1][5]).isEqualTo(9);
        assertThat(c[0][5]).isEqualTo(9);
        // row 1 has none a day before either: its own value
        assertThat(c[0][1]).isEqualTo(1);
        assertThat(c[1][1]).isEqualTo(1);
        // row 3 reaches a day back exactly (reading 0 is at 30 - 30 ms): reading 3 + 1 - 3 = 1;
        // row 2 falls short by one
        assertThat(c[0][3]).isEqualTo(1);
        assertThat(c[0][2]).isEqualTo(4);
    }

    @Test
    void aChannelLooksBackNoFurtherThanTheLookback() {
        // row 9 with a lookback of 6 readings sees rows 3..9 only: reading 3 (30 ms) is not at or
        // before 90 - 70 = 20 ms, so the week channel is the day channel's reading 7
        double[][] c = new SeasonalChannels(LAGS, 6).of(regular(12), squares(12));
        assertThat(c[1][9]).isEqualTo(49);
        assertThat(c[1][10]).isEqualTo(64); // row 10 likewise: reading 10 + 1 - 3 = 8
    }

    @Test
    void eventTimeDecidesSoGapsAndIrregularStepsNeedNoInterval() {
        long[] t = {0, 10, 35, 40, 60, 100};
        double[][] v = {{0, 1, 2, 3, 4, 5}};
        double[][] c = new SeasonalChannels(LAGS, 10).of(t, v);
        // row 5 (100 ms): the first reading later than 100 - 30 = 70 is row 5 itself; later than
        // 100 - 70 = 30 is row 2 (35 ms)
        assertThat(c[0][5]).isEqualTo(5);
        assertThat(c[1][5]).isEqualTo(2);
        // row 4 (60 ms): later than 30 → row 2; a week back (-10 ms) is before the series: row 2
        assertThat(c[0][4]).isEqualTo(2);
        assertThat(c[1][4]).isEqualTo(2);
    }

    @Test
    void fillWritesEveryColumnsChannelsInNameOrder() {
        SeasonalChannels channels = new SeasonalChannels(LAGS, 7);
        assertThat(channels.names(List.of("a", "b")))
                .containsExactly("a@30ms", "a@70ms", "b@30ms", "b@70ms");
        long[] t = regular(12);
        double[][] v = {squares(12)[0], new double[12]};
        for (int i = 0; i < 12; i++) {
            v[1][i] = -i;
        }
        double[] out = new double[5];
        channels.fill(SeasonalChannels.Series.of(t, v), 9, 1, 2, out, 1);
        assertThat(out).containsExactly(0, 49, 9, -7, -3);
        double[][] all = channels.of(t, v);
        assertThat(new double[] {all[0][9], all[1][9], all[2][9], all[3][9]})
                .containsExactly(49, 9, -7, -3);
    }

    /**
     * A whole series' channels (rows in order, each lag's search resumed from the row before) are
     * each row's channels found on their own, on irregular steps with gaps longer than a lag.
     */
    @Test
    void rowsInOrderFindWhatEachRowFindsAlone() {
        java.util.Random random = new java.util.Random(4);
        int n = 3_000;
        long[] t = new long[n];
        double[][] v = new double[1][n];
        for (int i = 1; i < n; i++) {
            t[i] = t[i - 1] + 1 + (random.nextInt(50) == 0 ? 200 : random.nextInt(15));
            v[0][i] = i;
        }
        SeasonalChannels channels = new SeasonalChannels(LAGS, 9);
        double[][] all = channels.of(t, v);
        SeasonalChannels.Series series = SeasonalChannels.Series.of(t, v);
        int stoodIn = 0;
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < 2; k++) {
                int alone = channels.source(series, r, k);
                assertThat(all[k][r]).as("row %d lag %d", r, k).isEqualTo(v[0][alone]);
                stoodIn += alone == r ? 1 : 0;
            }
        }
        assertThat(stoodIn).isBetween(1, n); // the stand-ins were exercised, not only the lags
    }

    @Test
    void namesLabelTheLagInItsLargestWholeUnit() {
        SeasonalChannels c =
                new SeasonalChannels(
                        List.of(
                                Duration.ofMillis(250),
                                Duration.ofSeconds(90),
                                Duration.ofMinutes(30),
                                Duration.ofHours(12),
                                Duration.ofDays(1),
                                Duration.ofDays(7)),
                        10);
        assertThat(c.names(List.of("value")))
                .containsExactly(
                        "value@250ms",
                        "value@90s",
                        "value@30min",
                        "value@12h",
                        "value@1d",
                        "value@7d");
        assertThat(SeasonalChannels.readingColumns(List.of("value", "value@1d", "x", "x@7d")))
                .containsExactly("value", "x");
    }

    @Test
    void noLagsOrNoLookbackMeansNoChannels() {
        assertThat(SeasonalChannels.NONE.enabled()).isFalse();
        assertThat(new SeasonalChannels(LAGS, 0).names(List.of("v"))).isEmpty();
        assertThat(new SeasonalChannels(LAGS, 0).of(regular(3), squares(3))).isEmpty();
    }

    @Test
    void badSettingsFailNamingTheRule() {
        assertThatThrownBy(
                        () ->
                                new SeasonalChannels(
                                        List.of(Duration.ofDays(7), Duration.ofDays(1)), 10))
                .hasMessageContaining("must increase");
        assertThatThrownBy(() -> new SeasonalChannels(List.of(Duration.ZERO), 10))
                .hasMessageContaining("at least 1 ms");
        assertThatThrownBy(() -> new SeasonalChannels(LAGS, -1))
                .hasMessageContaining("[0, 1000000]");
    }
}
