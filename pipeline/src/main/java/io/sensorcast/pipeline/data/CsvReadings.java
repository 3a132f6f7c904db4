package io.sensorcast.pipeline.data;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.dataset.TimeSeriesTable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * CSV series as readings, read by the one CSV reader, {@link TimeSeriesTable#readCsv}: a header,
 * the timestamp first, then one value column (NAB's {@code timestamp,value}: univariate readings
 * named {@value SensorReading#VALUE}) or several (ETT: multivariate readings named by the header).
 * Timestamps are epoch milliseconds or ISO-8601, with or without a {@code T}; without a zone they
 * are taken as UTC.
 */
public final class CsvReadings {

    private static final DateTimeFormatter SPACE_SEPARATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]");

    private CsvReadings() {}

    /** The readings of one file, in file order, all from {@code sensor}. */
    public static List<SensorReading> read(Path file, String sensor) throws IOException {
        TimeSeriesTable table = TimeSeriesTable.readCsv(file);
        String[] names =
                table.columns().size() == 1
                        ? new String[] {SensorReading.VALUE}
                        : table.columns().toArray(String[]::new);
        List<SensorReading> out = new ArrayList<>(table.rows());
        for (int r = 0; r < table.rows(); r++) {
            double[] values = new double[names.length];
            for (int c = 0; c < values.length; c++) {
                values[c] = table.value(c, r);
            }
            long timestamp = parseTimestamp(table.timestamp(r), file, r);
            out.add(new SensorReading(sensor, timestamp, names, values));
        }
        return out;
    }

    /**
     * The readings of several files merged in time order: each file's from {@code sensor}, or where
     * that is null from its file name ({@link #sensorFromFilename}).
     */
    public static List<SensorReading> readAll(List<Path> files, String sensor) throws IOException {
        List<List<SensorReading>> series = new ArrayList<>();
        for (Path file : files) {
            series.add(read(file, sensor != null ? sensor : sensorFromFilename(file)));
        }
        return merge(series);
    }

    public static List<SensorReading> merge(List<List<SensorReading>> series) {
        List<SensorReading> all = new ArrayList<>();
        series.forEach(all::addAll);
        all.sort(Comparator.comparingLong(r -> r.timestamp)); // stable
        return all;
    }

    /**
     * {@code rows} as readings of {@code sensor} moved {@code shift} ms in time, intervals
     * unchanged: to put series recorded at different times on one clock when they are replayed
     * together (a fleet that reports at once) or one after another.
     */
    public static List<SensorReading> moved(List<SensorReading> rows, String sensor, long shift) {
        List<SensorReading> out = new ArrayList<>(rows.size());
        for (SensorReading r : rows) {
            out.add(new SensorReading(sensor, r.timestamp + shift, r.names, r.values));
        }
        return out;
    }

    /**
     * The sensor id a file gets with {@code --sensor-from-filename}: its name without extension.
     */
    public static String sensorFromFilename(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Epoch milliseconds of {@code text}, the timestamp of data row {@code row} (0-based). */
    static long parseTimestamp(String text, Path file, int row) {
        try {
            if (text.matches("\\d{10,}")) {
                return Long.parseLong(text);
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant().toEpochMilli();
            }
            if (text.contains("T")) {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            return LocalDateTime.parse(text, SPACE_SEPARATED)
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    file + ": data row " + (row + 1) + ": unparseable timestamp '" + text + "'");
        }
    }
}
