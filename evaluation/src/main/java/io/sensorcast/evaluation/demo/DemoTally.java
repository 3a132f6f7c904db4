package io.sensorcast.evaluation.demo;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.evaluation.stack.OutputReader;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the demo has seen so far: the replay's progress and the outputs read back (forecasts,
 * scores, dead letters, late readings, retraining decisions), for its progress line and report.
 * Thread-safe: the replay and the output reader write, the command reads.
 */
public final class DemoTally implements OutputReader.Listener {

    final AtomicLong sent = new AtomicLong();
    final AtomicLong eventTime = new AtomicLong();
    private final AtomicLong forecasts = new AtomicLong();
    private final AtomicLong anomalies = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final Map<String, List<ScoreRecord>> scores = new ConcurrentHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final List<RetrainReport> retrains = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Queue<RetrainReport> unprinted =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override
    public void forecast(ForecastRecord f) {
        forecasts.incrementAndGet();
        latencies.add((long) f.latencyMs());
    }

    @Override
    public void score(ScoreRecord s) {
        scores.computeIfAbsent(s.sensor(), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(s);
        if (s.isAnomaly()) {
            anomalies.incrementAndGet();
        }
    }

    @Override
    public void deadLetter() {
        deadLetters.incrementAndGet();
    }

    @Override
    public void late() {
        late.incrementAndGet();
    }

    @Override
    public void report(RetrainReport r) {
        retrains.add(r);
        unprinted.add(r);
    }

    public long forecasts() {
        return forecasts.get();
    }

    public long anomalies() {
        return anomalies.get();
    }

    public int decisions() {
        return retrains.size();
    }

    /** Whether retraining has decided (promoted, rejected or failed) for every sensor. */
    boolean decided(Collection<String> sensors) {
        Set<String> groups = new HashSet<>();
        synchronized (retrains) {
            for (RetrainReport r : retrains) {
                if (!r.decision().equals(RetrainReport.SKIPPED)) {
                    groups.add(r.group());
                }
            }
        }
        return groups.containsAll(sensors);
    }

    /**
     * The retraining decisions that arrived since the last call, each a line of its own, then the
     * progress line, drawn over the last one.
     */
    void progress(PrintWriter err, int total, long began) {
        for (RetrainReport r; (r = unprinted.poll()) != null; ) {
            err.printf(Locale.ROOT, "\r%-100s%n", decision(r));
        }
        long promoted;
        synchronized (retrains) {
            promoted = retrains.stream().filter(r -> r.decision().equals("PROMOTED")).count();
        }
        err.printf(
                Locale.ROOT,
                "\r[%3ds] replay %3d%% (%s) | models promoted %d | forecasts %d | anomalies %d"
                        + " | dead letters %d   ",
                (System.nanoTime() - began) / 1_000_000_000L,
                total == 0 ? 100 : 100 * sent.get() / total,
                eventTime.get() == 0 ? "-" : Instant.ofEpochMilli(eventTime.get()).toString(),
                promoted,
                forecasts.get(),
                anomalies.get(),
                deadLetters.get());
        err.flush();
    }

    /** A retraining decision as one line: group, outcome, versions and why. */
    static String decision(RetrainReport r) {
        String versions =
                r.decision().equals(RetrainReport.PROMOTED)
                        ? " v" + r.currentVersion() + " -> v" + r.version()
                        : "";
        return String.format(
                Locale.ROOT,
                "retraining %s: %s%s (%s)",
                r.group(),
                r.decision(),
                versions,
                r.reason());
    }

    /** Each sensor's scores in event-time order. */
    public Map<String, List<ScoreRecord>> sortedScores() {
        Map<String, List<ScoreRecord>> sorted = new TreeMap<>();
        scores.forEach(
                (sensor, rows) -> {
                    List<ScoreRecord> copy;
                    synchronized (rows) {
                        copy = new ArrayList<>(rows);
                    }
                    copy.sort(Comparator.comparing(s -> Instant.parse(s.targetTs())));
                    sorted.put(sensor, copy);
                });
        return sorted;
    }

    public DemoReport.Summary summary(long began, int readings) {
        long[] l;
        synchronized (latencies) {
            l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        List<RetrainReport> decisions;
        synchronized (retrains) {
            decisions = new ArrayList<>(retrains);
        }
        return new DemoReport.Summary(
                Math.min(readings, sent.get()),
                forecasts.get(),
                anomalies.get(),
                deadLetters.get(),
                late.get(),
                (System.nanoTime() - began) / 1e9,
                l.length == 0 ? 0 : l[l.length / 2],
                l.length == 0 ? 0 : l[Math.min(l.length - 1, (int) (l.length * 0.99))],
                decisions);
    }
}
