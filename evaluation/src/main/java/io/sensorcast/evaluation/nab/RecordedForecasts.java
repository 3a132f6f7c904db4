package io.sensorcast.evaluation.nab;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The forecasts a live {@code sensorcast nab} run scored each row against, one file per data file
 * ({@code <dir>/<category>/<file>.csv}: {@code timestamp} in epoch ms, {@code forecast}, NaN where
 * the job scored none), so that {@code nab-ablation --forecasts} can run the detector's variants on
 * the BiLSTM's own forecasts in seconds instead of a live run each.
 */
public final class RecordedForecasts {

    private static final String HEADER = "timestamp,forecast";

    private RecordedForecasts() {}

    /**
     * Writes {@code forecasts[i]} for the row at {@code timestamps[i]}.
     *
     * @param name the data file as {@code category/file.csv}
     */
    public static void write(Path dir, String name, long[] timestamps, double[] forecasts)
            throws IOException {
        if (timestamps.length != forecasts.length) {
            throw new IllegalArgumentException(
                    name + ": " + timestamps.length + " rows, " + forecasts.length + " forecasts");
        }
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(target)) {
            w.write(HEADER);
            w.newLine();
            for (int i = 0; i < timestamps.length; i++) {
                w.write(timestamps[i] + "," + forecasts[i]);
                w.newLine();
            }
        }
    }

    /**
     * The forecasts recorded for {@code name}, one per row of {@code timestamps}; null when none
     * were recorded for it.
     *
     * @throws IOException also when the file's rows are not the data file's
     */
    public static double[] read(Path dir, String name, long[] timestamps) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        double[] out = new double[timestamps.length];
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String header = r.readLine();
            if (!HEADER.equals(header)) {
                throw new IOException(file + ": header must be '" + HEADER + "', got " + header);
            }
            int i = 0;
            for (String line = r.readLine(); line != null; line = r.readLine(), i++) {
                int comma = line.indexOf(',');
                try {
                    if (i >= out.length
                            || comma < 0
                            || Long.parseLong(line.substring(0, comma)) != timestamps[i]) {
                        throw new IOException(
                                file + " line " + (i + 2) + ": not the data file's row " + (i + 1));
                    }
                    out[i] = Double.parseDouble(line.substring(comma + 1));
                } catch (NumberFormatException e) {
                    throw new IOException(
                            file + " line " + (i + 2) + ": not a number: " + e.getMessage(), e);
                }
            }
            if (i != out.length) {
                throw new IOException(file + ": " + i + " rows, the data file has " + out.length);
            }
        }
        return out;
    }
}
