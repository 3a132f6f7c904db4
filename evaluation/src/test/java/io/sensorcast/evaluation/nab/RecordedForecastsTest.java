package io.sensorcast.evaluation.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedForecastsTest {

    @TempDir Path dir;

    private static final String NAME = "realKnownCause/a.csv";
    private static final long[] TIMES = {1_000, 301_000, 601_000};

    @Test
    void readsBackWhatItWroteNaNIncluded() throws IOException {
        double[] forecasts = {Double.NaN, 1.0000000000000002, -3.5e-9};
        RecordedForecasts.write(dir, NAME, TIMES, forecasts);
        assertThat(RecordedForecasts.read(dir, NAME, TIMES)).containsExactly(forecasts);
        assertThat(RecordedForecasts.read(dir, "realKnownCause/other.csv", TIMES)).isNull();
    }

    @Test
    void refusesAFileThatIsNotTheDataFilesRowsNamingTheLine() throws IOException {
        RecordedForecasts.write(dir, NAME, TIMES, new double[] {Double.NaN, 1, 2});
        assertThatThrownBy(() -> RecordedForecasts.read(dir, NAME, new long[] {1_000, 302_000, 0}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("a.csv line 3: not the data file's row 2");
        assertThatThrownBy(() -> RecordedForecasts.read(dir, NAME, new long[] {1_000, 301_000}))
                .hasMessageContaining("line 4: not the data file's row 3");
        assertThatThrownBy(
                        () ->
                                RecordedForecasts.read(
                                        dir, NAME, new long[] {1_000, 301_000, 601_000, 901_000}))
                .hasMessageContaining("3 rows, the data file has 4");
    }

    @Test
    void refusesAMalformedNumberNamingTheLine() throws IOException {
        Files.createDirectories(dir.resolve(NAME).getParent());
        Files.writeString(dir.resolve(NAME), "timestamp,forecast\n1000,NaN\n301000,1.5x\n");
        assertThatThrownBy(() -> RecordedForecasts.read(dir, NAME, TIMES))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("a.csv line 3: not a number");
        Files.writeString(dir.resolve(NAME), "time,forecast\n");
        assertThatThrownBy(() -> RecordedForecasts.read(dir, NAME, TIMES))
                .hasMessageContaining("header must be 'timestamp,forecast'");
    }
}
