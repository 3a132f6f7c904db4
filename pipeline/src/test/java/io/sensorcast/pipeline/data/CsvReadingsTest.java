package io.sensorcast.pipeline.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.connectors.format.SensorReading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReadingsTest {

    @TempDir Path dir;

    @Test
    void readsNabAsUnivariateAndEttAsMultivariateInUtc() throws Exception {
        Path nab = dir.resolve("machine.csv");
        Files.writeString(
                nab, "timestamp,value\n2013-12-02 21:15:00,73.9\n2013-12-02 21:20:00,74.9\n");
        List<SensorReading> a = CsvReadings.read(nab, CsvReadings.sensorFromFilename(nab));
        assertThat(a)
                .containsExactly(
                        SensorReading.of(
                                "machine",
                                Instant.parse("2013-12-02T21:15:00Z").toEpochMilli(),
                                73.9),
                        SensorReading.of(
                                "machine",
                                Instant.parse("2013-12-02T21:20:00Z").toEpochMilli(),
                                74.9));

        Path ett = dir.resolve("ett.csv");
        Files.writeString(ett, "date,HUFL,OT\n2016-07-01 00:00:00,41.1,38.6\n");
        SensorReading b = CsvReadings.read(ett, "t1").get(0);
        assertThat(b.names).containsExactly("HUFL", "OT");
        assertThat(b.values).containsExactly(41.1, 38.6);
    }

    @Test
    void mergesSeveralSeriesInEventTimeOrderKeepingTiesInFileOrder() {
        List<SensorReading> merged =
                CsvReadings.merge(
                        List.of(
                                List.of(SensorReading.of("a", 0, 1), SensorReading.of("a", 10, 2)),
                                List.of(SensorReading.of("b", 0, 3), SensorReading.of("b", 5, 4))));
        assertThat(merged)
                .extracting(r -> r.sensor + r.timestamp)
                .containsExactly("a0", "b0", "b5", "a10");
    }

    @Test
    void movesASeriesOntoAnotherClockKeepingItsIntervalsAndValues() {
        List<SensorReading> moved =
                CsvReadings.moved(
                        List.of(SensorReading.of("x", 1_000, 1), SensorReading.of("x", 4_000, 2)),
                        "m1",
                        -500);
        assertThat(moved)
                .extracting(r -> r.sensor + "@" + r.timestamp + "=" + r.values[0])
                .containsExactly("m1@500=1.0", "m1@3500=2.0");
    }

    @Test
    void namesTheRowOfABadTimestampAndTheLineOfABadValue() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "timestamp,value\n2013-12-02 21:15:00,1\nnoon,1\n");
        assertThatThrownBy(() -> CsvReadings.read(bad, "x"))
                .hasMessageEndingWith("bad.csv: data row 2: unparseable timestamp 'noon'");
        Files.writeString(bad, "timestamp,value\n2013-12-02 21:15:00,1\n2013-12-02 21:20:00,x\n");
        assertThatThrownBy(() -> CsvReadings.read(bad, "x"))
                .hasMessageEndingWith("bad.csv:3: column 'value' is not a number: 'x'");
    }

    @Test
    void readsEpochMillisAndZonedTimestamps() throws Exception {
        Path csv = dir.resolve("zoned.csv");
        Files.writeString(
                csv,
                "ts,value\n1386018900000,1\n2013-12-02T21:20:00+01:00,2\n2013-12-02T21:25:00,3\n");
        assertThat(CsvReadings.read(csv, "z"))
                .extracting(r -> r.timestamp)
                .containsExactly(
                        1386018900000L,
                        Instant.parse("2013-12-02T20:20:00Z").toEpochMilli(),
                        Instant.parse("2013-12-02T21:25:00Z").toEpochMilli());
    }
}
