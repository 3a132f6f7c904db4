package io.sensorcast.evaluation.demo;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.evaluation.BundledData;
import io.sensorcast.model.evaluation.nab.NabCorpus;
import io.sensorcast.model.evaluation.nab.NabScorer;
import io.sensorcast.pipeline.data.CsvReadings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The demo's sensors: series replayed as a fleet reporting at once, on one clock, in event-time
 * order, with the labelled windows the bundled NAB labels know for them, moved alike.
 *
 * @param readings every sensor's readings, in event-time order
 * @param windows labelled windows by sensor (empty for a file the labels do not know)
 * @param span event time from the first reading to the last
 */
public record DemoFleet(
        List<SensorReading> readings, Map<String, List<DemoReport.Span>> windows, long span) {

    static final String[] DEFAULT_FILES = {
        "realKnownCause/machine_temperature_system_failure.csv",
        "realKnownCause/cpu_utilization_asg_misconfiguration.csv",
        "realKnownCause/ec2_request_latency_system_failure.csv",
    };

    public static List<Path> defaultFiles() {
        List<Path> csvs = new ArrayList<>();
        for (String f : DEFAULT_FILES) {
            csvs.add(BundledData.dir().resolve("nab/data").resolve(f));
        }
        return csvs;
    }

    /**
     * The series as a fleet reporting at once: every series moved to start at the earliest first
     * reading, with its labelled windows (if the bundled labels know the file) moved alike.
     */
    public static DemoFleet load(List<Path> csvs) throws IOException {
        Map<String, List<NabScorer.Window>> labels = labels(BundledData.dir());
        long start = Long.MAX_VALUE;
        for (Path csv : csvs) {
            start = Math.min(start, CsvReadings.read(csv, "x").get(0).timestamp);
        }
        List<List<SensorReading>> series = new ArrayList<>();
        Map<String, List<DemoReport.Span>> windows = new TreeMap<>();
        long span = 0;
        for (Path csv : csvs) {
            String sensor = CsvReadings.sensorFromFilename(csv);
            List<SensorReading> rows = CsvReadings.read(csv, sensor);
            long shift = start - rows.get(0).timestamp;
            List<SensorReading> moved = CsvReadings.moved(rows, sensor, shift);
            series.add(moved);
            span = Math.max(span, moved.get(moved.size() - 1).timestamp - start);
            String key = csv.getParent().getFileName() + "/" + csv.getFileName();
            List<DemoReport.Span> spans = new ArrayList<>();
            for (NabScorer.Window w : labels.getOrDefault(key, List.of())) {
                spans.add(
                        new DemoReport.Span(
                                w.start().toInstant(ZoneOffset.UTC).toEpochMilli() + shift,
                                w.end().toInstant(ZoneOffset.UTC).toEpochMilli() + shift));
            }
            windows.put(sensor, spans);
        }
        return new DemoFleet(CsvReadings.merge(series), windows, span);
    }

    /**
     * Replays the readings up to {@code warmup}, waits (at most {@code waitLimit}) for retraining
     * to decide on every sensor's first model, then replays the rest, telling {@code tally} how far
     * it got; {@code stop} ends the wait early.
     */
    void replay(
            Replayer replayer,
            String topic,
            int warmup,
            Pacing pace,
            Duration waitLimit,
            DemoTally tally,
            BooleanSupplier stop)
            throws InterruptedException {
        Replayer.Progress progress =
                (n, total, t) -> {
                    tally.sent.set(n);
                    tally.eventTime.set(t);
                };
        replayer.replay(readings.subList(0, warmup), topic, pace, progress);
        Set<String> sensors = new HashSet<>();
        readings.forEach(r -> sensors.add(r.sensor));
        long until = System.nanoTime() + waitLimit.toNanos();
        while (!stop.getAsBoolean() && !tally.decided(sensors) && System.nanoTime() < until) {
            Thread.sleep(250);
        }
        long done = warmup;
        replayer.replay(
                readings.subList(warmup, readings.size()),
                topic,
                pace,
                (n, total, t) -> progress.update(done + n, readings.size(), t));
    }

    /** The index after which every sensor has {@code perSensor} readings (or all it has). */
    static int warmupEnd(List<SensorReading> readings, int perSensor) {
        Map<String, Integer> total = new HashMap<>();
        for (SensorReading r : readings) {
            total.merge(r.sensor, 1, Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        int satisfied = 0;
        for (int i = 0; i < readings.size(); i++) {
            String sensor = readings.get(i).sensor;
            int n = seen.merge(sensor, 1, Integer::sum);
            if (n == Math.min(perSensor, total.get(sensor)) && ++satisfied == total.size()) {
                return i + 1;
            }
        }
        return readings.size();
    }

    private static Map<String, List<NabScorer.Window>> labels(Path data) throws IOException {
        Path file = data.resolve("nab/labels/combined_windows.json");
        return Files.exists(file) ? NabCorpus.windows(file) : Map.of();
    }
}
