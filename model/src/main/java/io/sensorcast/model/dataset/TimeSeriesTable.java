package io.sensorcast.model.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A multivariate time series in memory: a timestamp per row and named numeric columns.
 *
 * <p>Rows are kept in file order, which must be time order. Read from CSV with {@link #readCsv}: a
 * header, the first column the timestamp (kept as text), every other column a number.
 */
public final class TimeSeriesTable {

    private final List<String> timestamps;
    private final List<String> columns;
    private final double[][] values; // [column][row]

    public TimeSeriesTable(List<String> timestamps, List<String> columns, double[][] values) {
        if (columns.size() != values.length) {
            throw new IllegalArgumentException(
                    columns.size() + " column names for " + values.length + " columns");
        }
        for (int c = 0; c < values.length; c++) {
            if (values[c].length != timestamps.size()) {
                throw new IllegalArgumentException(
                        "column '"
                                + columns.get(c)
                                + "' has "
                                + values[c].length
                                + " rows, timestamps have "
                                + timestamps.size());
            }
        }
        this.timestamps = List.copyOf(timestamps);
        this.columns = List.copyOf(columns);
        this.values = new double[values.length][];
        for (int c = 0; c < values.length; c++) {
            this.values[c] = values[c].clone();
        }
    }

    /**
     * Reads a CSV with a header row. The first column is the timestamp; every other column must
     * hold a finite number on every row. A bad cell is an {@link IllegalArgumentException} naming
     * the file, line and column.
     */
    public static TimeSeriesTable readCsv(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + ": empty file, expected a CSV header");
            }
            List<String> names = new ArrayList<>(Arrays.asList(split(header)));
            if (names.size() < 2) {
                throw new IllegalArgumentException(
                        file + ": header must have a timestamp and at least one value column");
            }
            names.remove(0);
            List<String> stamps = new ArrayList<>();
            List<double[]> rows = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = split(line);
                if (cells.length != names.size() + 1) {
                    throw new IllegalArgumentException(
                            file
                                    + ":"
                                    + lineNo
                                    + ": expected "
                                    + (names.size() + 1)
                                    + " cells, got "
                                    + cells.length);
                }
                double[] row = new double[names.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = parseCell(cells[c + 1], file, lineNo, names.get(c));
                }
                stamps.add(cells[0]);
                rows.add(row);
            }
            double[][] values = new double[names.size()][rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < names.size(); c++) {
                    values[c][r] = rows.get(r)[c];
                }
            }
            return new TimeSeriesTable(stamps, names, values);
        }
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = unquote(cells[i].trim());
        }
        return cells;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
                ? s.substring(1, s.length() - 1)
                : s;
    }

    private static double parseCell(String cell, Path file, int line, String column) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    file
                            + ":"
                            + line
                            + ": column '"
                            + column
                            + "' is not a number: '"
                            + cell
                            + "'");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(
                    file + ":" + line + ": column '" + column + "' is not finite: '" + cell + "'");
        }
        return v;
    }

    public int rows() {
        return timestamps.size();
    }

    public List<String> columns() {
        return Collections.unmodifiableList(columns);
    }

    public String timestamp(int row) {
        return timestamps.get(row);
    }

    /** The index of {@code name}, or an exception that lists the columns there are. */
    public int columnIndex(String name) {
        for (int c = 0; c < columns.size(); c++) {
            if (columns.get(c).equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                "no column '" + name + "'; columns are " + String.join(", ", columns));
    }

    /** A copy of one column. */
    public double[] column(String name) {
        return values[columnIndex(name)].clone();
    }

    /** The named columns, in the order given, as a new table with the same timestamps. */
    public TimeSeriesTable select(List<String> names) {
        double[][] selected = new double[names.size()][];
        List<String> canonical = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            int c = columnIndex(names.get(i));
            selected[i] = values[c];
            canonical.add(columns.get(c));
        }
        if (canonical.stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct().count()
                != canonical.size()) {
            throw new IllegalArgumentException("columns repeat in " + names);
        }
        return new TimeSeriesTable(timestamps, canonical, selected);
    }

    /** Value of {@code column} (by index) at {@code row}. */
    public double value(int column, int row) {
        return values[column][row];
    }
}
