package io.sensorcast.model.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeSeriesTableTest {

    @TempDir Path dir;

    @Test
    void readsHeaderTimestampAndNumericColumns() throws Exception {
        Path csv = dir.resolve("s.csv");
        Files.writeString(
                csv,
                "date,HUFL,OT\n2016-07-01 00:00:00,41.1,38.6\n\"2016-07-01 01:00:00\",37.5,37.1\n");
        TimeSeriesTable table = TimeSeriesTable.readCsv(csv);
        assertThat(table.rows()).isEqualTo(2);
        assertThat(table.columns()).containsExactly("HUFL", "OT");
        assertThat(table.timestamp(1)).isEqualTo("2016-07-01 01:00:00");
        assertThat(table.column("ot")).containsExactly(38.6, 37.1);
        assertThat(table.select(List.of("OT")).columns()).containsExactly("OT");
    }

    @Test
    void namesFileLineAndColumnOfABadCell() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "timestamp,value\nt0,1.5\nt1,NaN\n");
        assertThatThrownBy(() -> TimeSeriesTable.readCsv(csv))
                .hasMessageEndingWith("bad.csv:3: column 'value' is not finite: 'NaN'");
        Files.writeString(csv, "timestamp,value\nt0,abc\n");
        assertThatThrownBy(() -> TimeSeriesTable.readCsv(csv))
                .hasMessageEndingWith("bad.csv:2: column 'value' is not a number: 'abc'");
    }

    @Test
    void listsColumnsWhenOneIsMissing() throws Exception {
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, "timestamp,value\nt0,1\n");
        assertThatThrownBy(() -> TimeSeriesTable.readCsv(csv).columnIndex("OT"))
                .hasMessage("no column 'OT'; columns are value");
    }
}
