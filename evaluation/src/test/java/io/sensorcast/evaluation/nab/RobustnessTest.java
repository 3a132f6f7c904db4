package io.sensorcast.evaluation.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.evaluation.BundledData;
import io.sensorcast.evaluation.nab.BaselineDetection.Forecaster;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.pipeline.scoring.DetectorSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RobustnessTest {

    private static final long MIN = 60_000;

    /** {@code n} readings {@code step} ms apart from 0, value = index. */
    private static NabSeries ramp(int n, long step, NabScorer.Window... windows) {
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * step;
            v[i] = i;
        }
        return new NabSeries("cat/ramp.csv", t, v, List.of(windows));
    }

    private static NabScorer.Window window(long startMs, long endMs) {
        return new NabScorer.Window(NabSeries.time(startMs), NabSeries.time(endMs));
    }

    @Test
    void averagingToACoarserIntervalKeepsTheWindowsInTime() {
        // 5-min readings 0..23 (two hours); a window from 00:25 to 01:10
        NabSeries s = ramp(24, 5 * MIN, window(25 * MIN, 70 * MIN));
        NabSeries hourly = Robustness.resample(s, 60 * MIN);
        assertThat(hourly.timestamps()).containsExactly(0, 60 * MIN);
        assertThat(hourly.values()).containsExactly(5.5, 17.5); // means of 0..11 and 12..23
        // the window's hours: it starts in the first and ends in the second
        assertThat(hourly.windows()).containsExactly(window(0, 60 * MIN));

        NabSeries quarter = Robustness.resample(s, 15 * MIN);
        assertThat(quarter.timestamps()).hasSize(8);
        assertThat(quarter.values()[0]).isEqualTo(1.0); // mean of 0, 1, 2
        assertThat(quarter.windows()).containsExactly(window(15 * MIN, 60 * MIN));
    }

    @Test
    void interpolatingToAFinerIntervalKeepsTheWindowsInTime() {
        NabSeries s = ramp(3, 5 * MIN, window(5 * MIN, 10 * MIN));
        NabSeries minutely = Robustness.resample(s, MIN);
        assertThat(minutely.timestamps()).hasSize(11);
        assertThat(minutely.values()[3]).isCloseTo(0.6, within(1e-12));
        assertThat(minutely.values()[10]).isEqualTo(2.0);
        assertThat(minutely.windows()).containsExactly(window(5 * MIN, 10 * MIN));
        // at the file's own interval nothing changes
        assertThat(Robustness.resample(s, 5 * MIN)).isSameAs(s);
    }

    @Test
    void aCutKeepsTheWindowsThatStartInsideEndingACrossedOneOnTheLastRow() {
        NabSeries s =
                ramp(
                        100,
                        5 * MIN,
                        window(10 * 5 * MIN, 20 * 5 * MIN),
                        window(45 * 5 * MIN, 60 * 5 * MIN),
                        window(70 * 5 * MIN, 80 * 5 * MIN));
        NabSeries cut = Robustness.cut(s, 50);
        assertThat(cut.timestamps()).hasSize(50);
        assertThat(cut.windows())
                .containsExactly(
                        window(10 * 5 * MIN, 20 * 5 * MIN), window(45 * 5 * MIN, 49 * 5 * MIN));
        assertThat(Robustness.cut(s, 200)).isSameAs(s);
    }

    @Test
    void scoresEveryVariantOfABundledCorpus() throws Exception {
        Path data = BundledData.dir().resolve("nab/data");
        List<Path> files =
                List.of(
                        data.resolve("artificialNoAnomaly/art_daily_small_noise.csv"),
                        data.resolve("artificialWithAnomaly/art_daily_jumpsup.csv"),
                        data.resolve("realKnownCause/ec2_request_latency_system_failure.csv"));
        Map<String, List<NabScorer.Window>> windows =
                NabCorpus.windows(BundledData.dir().resolve("nab/labels/combined_windows.json"));
        Robustness r =
                Robustness.of(
                        files,
                        f -> data.relativize(f).toString().replace('\\', '/'),
                        windows,
                        DetectorSettings.defaults(),
                        Forecaster.PERSISTENCE);
        StringWriter text = new StringWriter();
        List<Robustness.Row> rows = r.run(new PrintWriter(text));

        assertThat(rows)
                .extracting(Robustness.Row::variant)
                .containsExactly(
                        "as given",
                        "resampled to 1 min",
                        "resampled to 15 min",
                        "resampled to 60 min",
                        "first 1,500 readings",
                        "first 2,500 readings",
                        "only artificialNoAnomaly",
                        "without artificialNoAnomaly",
                        "only artificialWithAnomaly",
                        "without artificialWithAnomaly",
                        "only realKnownCause",
                        "without realKnownCause");
        Robustness.Row given = rows.get(0);
        assertThat(given.files()).isEqualTo(3);
        int labelled =
                files.stream()
                        .mapToInt(
                                f ->
                                        windows.getOrDefault(
                                                        data.relativize(f)
                                                                .toString()
                                                                .replace('\\', '/'),
                                                        List.of())
                                                .size())
                        .sum();
        assertThat(labelled).isPositive();
        assertThat(given.windows()).isEqualTo(labelled);
        // every resampled variant keeps every window, as the files span them in time
        assertThat(rows.subList(1, 4))
                .allSatisfy(row -> assertThat(row.windows()).isEqualTo(labelled));
        // a category without windows has no NAB score (0 / 0), but its false alarms count
        Robustness.Row noAnomaly = rows.get(6);
        assertThat(noAnomaly.windows()).isZero();
        assertThat(noAnomaly.standard()).isNull();
        assertThat(noAnomaly.readings()).isEqualTo(4032 - NabScorer.probationaryLength(4032));
        assertThat(text.toString()).contains("as given").contains("—");
        for (Robustness.Row row : rows) {
            if (row.standard() != null) {
                assertThat(row.standard()).isBetween(-200.0, 100.0);
            }
        }
    }
}
