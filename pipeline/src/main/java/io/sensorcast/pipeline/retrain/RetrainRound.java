package io.sensorcast.pipeline.retrain;

import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.artifact.ModelRequirements;
import io.sensorcast.model.artifact.TempDirs;
import io.sensorcast.model.dataset.SeasonalChannels;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.evaluation.Holdout;
import io.sensorcast.model.manifest.InvalidModelException;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.store.ModelPublisher;
import io.sensorcast.pipeline.store.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One retraining round of one model group, in plain Java: history (per sensor its newest readings,
 * checked for size, gaps and constant columns) → candidate → judgement of the candidate, the model
 * in service and the baselines on the newest slice → decision (publish only over the version judged
 * against) → report. Every outcome is one {@link RetrainReport}; nothing here throws. {@link
 * GroupRetrainFunction} runs it inside Flink.
 */
final class RetrainRound {

    private static final Logger LOG = LoggerFactory.getLogger(RetrainRound.class);

    private final RetrainSettings settings;
    private final CandidateTrainer trainer;
    private final ModelPublisher publisher;

    RetrainRound(RetrainSettings settings, CandidateTrainer trainer, ModelPublisher publisher) {
        this.settings = settings;
        this.trainer = trainer;
        this.publisher = publisher;
    }

    /** The round for {@code group} on its readings {@code all}, started at {@code start} ms. */
    RetrainReport run(String group, List<SensorReading> all, long start) {
        return decide(group, all, start);
    }

    private RetrainReport decide(String group, List<SensorReading> all, long start) {
        Draft d = new Draft(group, start);
        Path work = null;
        try {
            TimeSeriesTable table = history(all, d);
            if (table == null) {
                return d.report();
            }
            TimeSplit split =
                    TimeSplit.fractions(
                            table.rows(),
                            1 - settings.holdout() - settings.validation(),
                            settings.validation());
            String constant = constantColumn(table, split.trainEnd());
            if (constant != null) {
                return d.skip("constant series: '" + constant + "' does not vary in training data");
            }
            ModelStore store = publisher.store();
            ModelStore.Listing listing = store.list(group);
            ModelStore.Version current = listing.newest();
            d.currentVersion = current == null ? 0 : current.version();
            work = Files.createTempDirectory("sensorcast-retrain-");
            Path candidateDir = work.resolve("candidate");
            String tooShort;
            try (ForecastModel serving = loadCurrent(current, table, d)) {
                // DJL's PyTorch engine allows one gradient collector per JVM at a time: trainings
                // in the slots of one TaskManager take turns (they run in parallel across
                // TaskManagers). The lock is DJL's own class, shared by every job's class loader
                // when DJL is loaded parent-first as deploy/ does.
                synchronized (ai.djl.training.GradientCollector.class) {
                    trainer.train(
                            new CandidateTrainer.Round(
                                    table, "kafka:" + group, split, settings, serving),
                            candidateDir);
                }
                tooShort = judge(candidateDir, serving, table, split, d);
            }
            if (tooShort != null) {
                return d.skip(tooShort);
            }
            return promote(candidateDir, listing, d);
        } catch (Exception | LinkageError e) {
            LOG.warn("Retrain {} failed", group, e);
            d.decision = RetrainReport.FAILED;
            d.reason = e.toString();
            return d.report();
        } finally {
            TempDirs.deleteQuietly(work);
        }
    }

    /**
     * Scores the candidate, the model in service and the baselines on the hold-out into the draft;
     * the reason to skip when the hold-out is too short, else null.
     */
    private String judge(
            Path candidateDir,
            ForecastModel serving,
            TimeSeriesTable table,
            TimeSplit split,
            Draft d)
            throws Exception {
        try (ForecastModel candidate = ModelArtifact.load(candidateDir)) {
            int longest =
                    Math.max(
                            candidate.manifest().window(),
                            serving == null ? 0 : serving.manifest().window());
            Holdout holdout =
                    new Holdout(
                            table,
                            SeasonalChannels.readingColumns(table.columns()),
                            split.validationEnd(),
                            longest);
            if (holdout.forecasts() < 10) {
                return "hold-out too short: "
                        + holdout.forecasts()
                        + " forecasts (more readings or a larger holdout)";
            }
            d.candidateError = holdout.error(candidate);
            d.currentError = serving == null ? Double.NaN : holdout.error(serving);
            d.baselines = holdout.baselines(settings.season());
            return null;
        }
    }

    /**
     * Publishes the judged candidate if it beats every rival, and only over the version it was
     * judged against (two rounds at once never publish over a version they did not compare with).
     */
    private RetrainReport promote(Path candidateDir, ModelStore.Listing listing, Draft d)
            throws Exception {
        String beaten = firstNotBeaten(d);
        if (beaten != null) {
            d.decision = RetrainReport.REJECTED;
            d.reason = beaten;
            return d.report();
        }
        ModelUpdate published;
        try {
            published = publisher.publishAfter(d.group, candidateDir, listing.highest());
        } catch (ModelStore.SupersededException e) {
            return d.skip("superseded: " + e.getMessage() + "; the next round judges anew");
        } catch (IOException e) {
            return d.skip("model store not writable: " + e.getMessage());
        }
        d.decision = RetrainReport.PROMOTED;
        d.version = published.version();
        d.reason =
                String.format(
                        Locale.ROOT,
                        "candidate %.4f beats %s",
                        d.candidateError,
                        d.describeRivals());
        return d.report();
    }

    /**
     * The group's history as one table: per sensor its newest readings in time order, repeats and
     * readings of an older schema dropped, sensors one after another. Null (and the draft says why)
     * when there is too little or too gappy data.
     */
    private TimeSeriesTable history(List<SensorReading> all, Draft d) {
        Map<String, List<SensorReading>> bySensor = new TreeMap<>();
        for (SensorReading r : all) {
            bySensor.computeIfAbsent(r.sensor, s -> new ArrayList<>()).add(r);
        }
        List<String> columns = null;
        List<String> timestamps = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (List<SensorReading> series : bySensor.values()) {
            series.sort(Comparator.comparingLong(r -> r.timestamp));
            SensorReading newest = series.get(series.size() - 1);
            List<String> names = Arrays.asList(newest.names);
            if (columns == null) {
                columns = names;
            } else if (!columns.equals(names)) {
                continue; // a sensor of another schema cannot share this group's model
            }
            List<SensorReading> kept = deduplicated(series, columns);
            // channels from the sensor's whole history, as the job's ring saw it, then the newest
            double[][] seasonal = seasonal(kept, columns.size());
            int first = Math.max(0, kept.size() - settings.maxReadings());
            kept = kept.subList(first, kept.size());
            double gaps = gapFraction(kept);
            if (gaps > settings.maxGapFraction()) {
                d.skipReason(
                        String.format(
                                Locale.ROOT,
                                "gaps: %.1f%% of %s's steps are longer than 10 sampling"
                                        + " intervals (at most %.1f%%)",
                                100 * gaps,
                                newest.sensor,
                                100 * settings.maxGapFraction()));
                return null;
            }
            d.sensors++;
            for (int i = 0; i < kept.size(); i++) {
                SensorReading r = kept.get(i);
                timestamps.add(Instant.ofEpochMilli(r.timestamp).toString());
                double[] row = Arrays.copyOf(r.values, r.values.length + seasonal.length);
                for (int k = 0; k < seasonal.length; k++) {
                    row[r.values.length + k] = seasonal[k][first + i];
                }
                rows.add(row);
            }
            d.from = Math.min(d.from, kept.get(0).timestamp);
            d.to = Math.max(d.to, kept.get(kept.size() - 1).timestamp);
        }
        d.readings = rows.size();
        if (rows.size() < settings.minReadings()) {
            d.skipReason(
                    "too little data: "
                            + rows.size()
                            + " readings, needs "
                            + settings.minReadings()
                            + " (sensorcast.retrain.min-readings)");
            return null;
        }
        return table(timestamps, columns, rows);
    }

    /** A sensor's readings in time order without repeats or readings of another schema. */
    private static List<SensorReading> deduplicated(
            List<SensorReading> series, List<String> columns) {
        List<SensorReading> kept = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (SensorReading r : series) {
            if (r.timestamp != last && Arrays.asList(r.names).equals(columns)) {
                kept.add(r);
                last = r.timestamp;
            }
        }
        return kept;
    }

    /** Rows of {@code columns} and then the seasonal channels, as a table by column. */
    private TimeSeriesTable table(
            List<String> timestamps, List<String> columns, List<double[]> rows) {
        List<String> names = new ArrayList<>(columns);
        names.addAll(settings.channels().names(columns));
        double[][] values = new double[names.size()][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int c = 0; c < names.size(); c++) {
                values[c][i] = rows.get(i)[c];
            }
        }
        return new TimeSeriesTable(timestamps, names, values);
    }

    /** The seasonal channels of one sensor's readings, {@code [channel][reading]}. */
    private double[][] seasonal(List<SensorReading> series, int columns) {
        long[] times = new long[series.size()];
        double[][] values = new double[columns][series.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = series.get(i).timestamp;
            for (int c = 0; c < columns; c++) {
                values[c][i] = series.get(i).values[c];
            }
        }
        return settings.channels().of(times, values);
    }

    private static double gapFraction(List<SensorReading> series) {
        if (series.size() < 3) {
            return 0;
        }
        long[] steps = new long[series.size() - 1];
        for (int i = 1; i < series.size(); i++) {
            steps[i - 1] = series.get(i).timestamp - series.get(i - 1).timestamp;
        }
        long[] sorted = steps.clone();
        Arrays.sort(sorted);
        long median = Math.max(1, sorted[sorted.length / 2]);
        long gaps = Arrays.stream(steps).filter(s -> s > 10 * median).count();
        return (double) gaps / steps.length;
    }

    private static String constantColumn(TimeSeriesTable table, int rows) {
        for (int c = 0; c < table.columns().size(); c++) {
            double first = table.value(c, 0);
            boolean varies = false;
            for (int i = 1; i < rows && !varies; i++) {
                varies = table.value(c, i) != first;
            }
            if (!varies) {
                return table.columns().get(c);
            }
        }
        return null;
    }

    /** The model in service, if it loads and reads what the table has; else null, noted. */
    private ForecastModel loadCurrent(ModelStore.Version current, TimeSeriesTable table, Draft d)
            throws IOException {
        if (current == null) {
            return null;
        }
        try {
            // judged on the engine its rival trained on: libtorch
            ForecastModel m =
                    ModelStore.load(
                            current.location(),
                            ModelRequirements.ANY,
                            ModelArtifact.Limits.DEFAULT,
                            ServingEngine.PYTORCH);
            if (!table.columns().containsAll(m.manifest().features())
                    || !m.manifest()
                            .targets()
                            .equals(SeasonalChannels.readingColumns(table.columns()))) {
                d.note = "current model reads other features; judged against the baselines only";
                m.close();
                return null;
            }
            return m;
        } catch (InvalidModelException e) {
            d.note = "current version " + current.version() + " does not load: " + e.getMessage();
            return null;
        }
    }

    /** Null when the candidate beats the current model and every baseline by the margin. */
    private String firstNotBeaten(Draft d) {
        double need = 1 - settings.margin();
        if (!Double.isNaN(d.currentError) && !(d.candidateError < d.currentError * need)) {
            return String.format(
                    Locale.ROOT,
                    "candidate %.4f does not beat current v%d %.4f by the margin %.2f",
                    d.candidateError,
                    d.currentVersion,
                    d.currentError,
                    settings.margin());
        }
        if (Double.isNaN(d.currentError) && !settings.coldStartGate()) {
            return null; // a first model, and the cold-start gate is off
        }
        for (Map.Entry<String, Double> b : d.baselines.entrySet()) {
            if (!(d.candidateError < b.getValue() * need)) {
                return String.format(
                        Locale.ROOT,
                        "candidate %.4f does not beat %s %.4f by the margin %.2f",
                        d.candidateError,
                        b.getKey(),
                        b.getValue(),
                        settings.margin());
            }
        }
        return null;
    }

    /** The report being made. */
    private static final class Draft {
        final String group;
        final long start;
        String decision = RetrainReport.SKIPPED;
        String reason = "";
        String note;
        long version;
        long currentVersion;
        double candidateError = Double.NaN;
        double currentError = Double.NaN;
        Map<String, Double> baselines = new LinkedHashMap<>();
        int sensors;
        int readings;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;

        Draft(String group, long start) {
            this.group = group;
            this.start = start;
        }

        void skipReason(String why) {
            decision = RetrainReport.SKIPPED;
            reason = why;
        }

        RetrainReport skip(String why) {
            skipReason(why);
            return report();
        }

        String describeRivals() {
            StringBuilder s = new StringBuilder();
            if (!Double.isNaN(currentError)) {
                s.append(
                        String.format(
                                Locale.ROOT, "current v%d %.4f, ", currentVersion, currentError));
            }
            baselines.forEach((k, v) -> s.append(String.format(Locale.ROOT, "%s %.4f, ", k, v)));
            return s.length() == 0 ? "nothing" : s.substring(0, s.length() - 2);
        }

        RetrainReport report() {
            return new RetrainReport(
                    group,
                    decision,
                    note == null ? reason : reason + "; " + note,
                    version,
                    currentVersion,
                    candidateError,
                    currentError,
                    baselines,
                    sensors,
                    readings,
                    from == Long.MAX_VALUE ? null : Instant.ofEpochMilli(from).toString(),
                    to == Long.MIN_VALUE ? null : Instant.ofEpochMilli(to).toString(),
                    System.currentTimeMillis() - start,
                    Instant.now().toString());
        }
    }
}
