package io.sensorcast.connectors.replay;

import io.sensorcast.connectors.format.SensorReading;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads CSV series as readings: a header, the timestamp first, then one value column (NAB's {@code
 * timestamp,value}: univariate readings) or several (ETT: multivariate readings named by the
 * header). Timestamps without a zone are taken as UTC.
 */
public final class CsvReadings {

    private static final DateTimeFormatter SPACE_SEPARATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss][.SSS]");

    private CsvReadings() {}

    /** The readings of one file, in file order, all from {@code sensor}. */
    public static List<SensorReading> read(Path file, String sensor) throws IOException {
        List<SensorReading> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + ": empty file, expected a CSV header");
            }
            String[] columns = header.split(",", -1);
            if (columns.length < 2) {
                throw new IllegalArgumentException(
                        file + ": header needs a timestamp and at least one value column");
            }
            String[] names =
                    columns.length == 2
                            ? new String[] {SensorReading.VALUE}
                            : Arrays.stream(columns, 1, columns.length)
                                    .map(String::trim)
                                    .toArray(String[]::new);
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != columns.length) {
                    throw new IllegalArgumentException(
                            file
                                    + ":"
                                    + lineNo
                                    + ": expected "
                                    + columns.length
                                    + " cells, got "
                                    + cells.length);
                }
                double[] values = new double[names.length];
                for (int i = 0; i < values.length; i++) {
                    try {
                        values[i] = Double.parseDouble(cells[i + 1].trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                file + ":" + lineNo + ": not a number: '" + cells[i + 1] + "'");
                    }
                }
                out.add(
                        new SensorReading(
                                sensor,
                                parseTimestamp(cells[0].trim(), file, lineNo),
                                names,
                                values));
            }
        }
        return out;
    }

    /** Readings of several files merged into one event-time order (ties keep file order). */
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

    static long parseTimestamp(String text, Path file, int line) {
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
                    file + ":" + line + ": unparseable timestamp '" + text + "'");
        }
    }

    static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
