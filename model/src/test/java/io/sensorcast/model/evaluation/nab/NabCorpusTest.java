package io.sensorcast.model.evaluation.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabCorpusTest {

    @TempDir Path dir;

    private static final LocalDateTime T0 = LocalDateTime.of(2014, 7, 1, 0, 0);

    @Test
    void resultsWrittenAreReadBackAsNabLaysThemOut() throws Exception {
        List<LocalDateTime> times = List.of(T0, T0.plusMinutes(5), T0.plusMinutes(10));
        List<NabScorer.Window> windows =
                List.of(new NabScorer.Window(T0.plusMinutes(5), T0.plusMinutes(10)));
        Path written =
                NabCorpus.writeResults(
                        dir,
                        "det",
                        "realKnownCause/x.csv",
                        times,
                        new double[] {1.5, 2, 3},
                        new double[] {0, 0.25, 0.123456789},
                        windows);

        assertThat(written).isEqualTo(dir.resolve("det/realKnownCause/det_x.csv"));
        assertThat(Files.readAllLines(written))
                .containsExactly(
                        "timestamp,value,anomaly_score,label",
                        "2014-07-01 00:00:00,1.5,0.000000,0",
                        "2014-07-01 00:05:00,2.0,0.250000,1",
                        "2014-07-01 00:10:00,3.0,0.123457,1");
        List<NabScorer.DataFile> read =
                NabCorpus.results(dir.resolve("det"), Map.of("realKnownCause/x.csv", windows));
        assertThat(read).hasSize(1);
        assertThat(read.get(0).timestamps()).isEqualTo(times);
        assertThat(read.get(0).scores()).containsExactly(0, 0.25, 0.123457);
    }

    @Test
    void refusesANameWithoutACategoryOrColumnsOfUnequalLength() {
        List<LocalDateTime> one = List.of(T0);
        assertThatThrownBy(
                        () ->
                                NabCorpus.writeResults(
                                        dir,
                                        "d",
                                        "x.csv",
                                        one,
                                        new double[1],
                                        new double[1],
                                        List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                NabCorpus.writeResults(
                                        dir,
                                        "d",
                                        "c/x.csv",
                                        one,
                                        new double[2],
                                        new double[1],
                                        List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
