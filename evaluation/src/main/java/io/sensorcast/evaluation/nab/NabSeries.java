package io.sensorcast.evaluation.nab;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.pipeline.data.CsvReadings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One univariate series of a NAB corpus with its label windows.
 *
 * @param name the labels key, {@code category/file.csv}
 * @param timestamps epoch ms, in file order
 * @param windows the series' label windows, in time order (none for a file without anomalies)
 */
record NabSeries(String name, long[] timestamps, double[] values, List<NabScorer.Window> windows) {

    /** The corpus' files as series, each with its windows from {@code windows}. */
    static List<NabSeries> read(
            List<Path> files,
            Function<Path, String> name,
            Map<String, List<NabScorer.Window>> windows)
            throws IOException {
        List<NabSeries> out = new ArrayList<>();
        for (Path f : files) {
            List<SensorReading> rows = CsvReadings.read(f, "s");
            long[] t = new long[rows.size()];
            double[] v = new double[rows.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = rows.get(i).timestamp;
                v[i] = rows.get(i).values[0];
            }
            String key = name.apply(f);
            out.add(new NabSeries(key, t, v, windows.getOrDefault(key, List.of())));
        }
        return out;
    }

    /** The category, NAB's directory: {@code realKnownCause} of {@code realKnownCause/x.csv}. */
    String category() {
        int slash = name.indexOf('/');
        return slash > 0 ? name.substring(0, slash) : "";
    }

    /** The timestamps as NAB's scorer reads them: UTC, to the second. */
    List<LocalDateTime> times() {
        List<LocalDateTime> out = new ArrayList<>(timestamps.length);
        for (long t : timestamps) {
            out.add(time(t));
        }
        return out;
    }

    /** Alert scores of every row as the scorer's data file. */
    NabScorer.DataFile scored(double[] alerts) {
        return new NabScorer.DataFile(name, times(), alerts, windows);
    }

    /** Whether {@code t} (epoch ms) falls in one of the windows, both ends included. */
    boolean inWindow(long t) {
        for (NabScorer.Window w : windows) {
            if (t >= epochMs(w.start()) && t <= epochMs(w.end())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The rows from {@code from} on whose alert is at or above {@code threshold}, {@code inside}
     * the windows or outside them.
     */
    long alarms(double[] alerts, int from, double threshold, boolean inside) {
        long n = 0;
        for (int i = from; i < alerts.length; i++) {
            if (alerts[i] >= threshold && inWindow(timestamps[i]) == inside) {
                n++;
            }
        }
        return n;
    }

    static LocalDateTime time(long epochMs) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMs, 1000), 0, ZoneOffset.UTC);
    }

    static long epochMs(LocalDateTime time) {
        return time.toEpochSecond(ZoneOffset.UTC) * 1000;
    }
}
