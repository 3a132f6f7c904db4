package io.sensorcast.model.evaluation.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorcast.model.dataset.TimeSeriesTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Reads NAB label windows, and writes and reads a detector's results files. */
public final class NabCorpus {

    private static final DateTimeFormatter TIME =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd[ ]['T']HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter();

    private static final DateTimeFormatter RESULTS_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private NabCorpus() {}

    /**
     * Writes one data file's results as NAB's runner does: {@code
     * <dir>/<detector>/<category>/<detector>_<file>.csv} with columns {@code timestamp, value,
     * anomaly_score, label}, one row per input row, the label from {@code windows}.
     *
     * @param name the data file as {@code category/file.csv}
     * @return the file written
     */
    public static Path writeResults(
            Path dir,
            String detector,
            String name,
            List<LocalDateTime> timestamps,
            double[] values,
            double[] scores,
            List<NabScorer.Window> windows)
            throws IOException {
        String[] parts = name.split("/", 2);
        if (parts.length != 2
                || timestamps.size() != values.length
                || values.length != scores.length) {
            throw new IllegalArgumentException(
                    "results for '" + name + "': need category/file.csv and equal lengths");
        }
        Path target = dir.resolve(detector).resolve(parts[0]).resolve(detector + "_" + parts[1]);
        Files.createDirectories(target.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(target)) {
            w.write("timestamp,value,anomaly_score,label\n");
            for (int i = 0; i < values.length; i++) {
                LocalDateTime t = timestamps.get(i);
                boolean label =
                        windows.stream()
                                .anyMatch(x -> !t.isBefore(x.start()) && !t.isAfter(x.end()));
                w.write(
                        String.format(
                                Locale.ROOT,
                                "%s,%s,%.6f,%d%n",
                                RESULTS_TIME.format(t),
                                values[i],
                                scores[i],
                                label ? 1 : 0));
            }
        }
        return target;
    }

    public static LocalDateTime time(String s) {
        return LocalDateTime.parse(s.trim(), TIME);
    }

    /** {@code combined_windows.json}: windows by {@code category/file.csv}. */
    public static Map<String, List<NabScorer.Window>> windows(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, List<NabScorer.Window>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<NabScorer.Window> ws = new ArrayList<>();
            for (JsonNode w : e.getValue()) {
                ws.add(new NabScorer.Window(time(w.get(0).asText()), time(w.get(1).asText())));
            }
            out.put(e.getKey(), ws);
        }
        return out;
    }

    /**
     * A detector's results, {@code <dir>/<category>/<detector>_<file>.csv} with a header holding
     * {@code timestamp} and {@code anomaly_score}, matched to {@code category/file.csv} labels.
     */
    public static List<NabScorer.DataFile> results(
            Path dir, Map<String, List<NabScorer.Window>> windows) throws IOException {
        List<NabScorer.DataFile> out = new ArrayList<>();
        for (Map.Entry<String, List<NabScorer.Window>> e : windows.entrySet()) {
            String[] parts = e.getKey().split("/", 2);
            Path category = dir.resolve(parts[0]);
            if (!Files.isDirectory(category)) {
                continue;
            }
            Path file;
            try (Stream<Path> s = Files.list(category)) {
                file =
                        s.filter(p -> p.getFileName().toString().endsWith("_" + parts[1]))
                                .findFirst()
                                .orElse(null);
            }
            if (file != null) {
                out.add(read(file, e.getKey(), e.getValue()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    dir
                            + " holds no results files <category>/<detector>_<file>.csv for the labels");
        }
        return out;
    }

    /** One results file, read as a table: its timestamps and its {@code anomaly_score} column. */
    private static NabScorer.DataFile read(Path file, String name, List<NabScorer.Window> windows)
            throws IOException {
        TimeSeriesTable table = TimeSeriesTable.readCsv(file);
        List<LocalDateTime> ts = new ArrayList<>(table.rows());
        for (int row = 0; row < table.rows(); row++) {
            try {
                ts.add(time(table.timestamp(row)));
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(
                        file + ":" + (row + 2) + ": cannot read the timestamp: " + ex.getMessage());
            }
        }
        double[] scores;
        try {
            scores = table.column("anomaly_score");
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(file + ": " + ex.getMessage(), ex);
        }
        return new NabScorer.DataFile(name, ts, scores, windows);
    }
}
