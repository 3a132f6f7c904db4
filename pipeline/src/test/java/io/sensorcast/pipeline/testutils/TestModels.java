package io.sensorcast.pipeline.testutils;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.manifest.TrainingOptions;
import io.sensorcast.model.training.TrainingRun;
import io.sensorcast.pipeline.data.CsvReadings;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** Small real models and the bundled data, for the job tests. */
public final class TestModels {

    private TestModels() {}

    /** A bundled NAB file, e.g. {@code nab("realKnownCause", "nyc_taxi")}. */
    public static Path nab(String category, String name) {
        return Paths.get(
                System.getProperty("sensorcast.data.dir", "../data"),
                "nab",
                "data",
                category,
                name + ".csv");
    }

    /**
     * The first {@code limit} readings of each NAB file ({@code {category, name}}, the sensor named
     * after the file), each series shifted to start when the first one does: the sensors report at
     * the same time, as a fleet does (files of other years would make each other late in a
     * partition).
     */
    public static List<List<SensorReading>> fleet(String[][] files, int limit)
            throws java.io.IOException {
        List<List<SensorReading>> series = new java.util.ArrayList<>();
        long start = 0;
        for (String[] f : files) {
            List<SensorReading> rows = CsvReadings.read(nab(f[0], f[1]), f[1]);
            if (series.isEmpty()) {
                start = rows.get(0).timestamp;
            }
            long shift = start - rows.get(0).timestamp;
            series.add(
                    rows.stream()
                            .limit(limit)
                            .map(r -> SensorReading.of(r.sensor, r.timestamp + shift, r.values[0]))
                            .toList());
        }
        return series;
    }

    /**
     * Trains a small one-step BiLSTM on the first rows of a {@code timestamp,value} CSV and saves
     * it as a model artifact in {@code out}.
     */
    public static void trainOneStep(Path csv, int window, TimeSplit split, int epochs, Path out)
            throws Exception {
        TimeSeriesTable table = TimeSeriesTable.readCsv(csv);
        TrainingRun run =
                new TrainingRun(
                        table,
                        csv.getFileName().toString(),
                        List.of(),
                        List.of("value"),
                        new WindowSpec(window, 1, 1),
                        split,
                        Math.min(12, window));
        try (TrainingRun.Outcome o =
                run.train(
                        run.network().optHiddenSize(8).build(),
                        TrainingOptions.defaults().withEpochs(epochs),
                        e -> {})) {
            ModelArtifact.save(out, o.trained().block(), o.manifest());
        }
    }

    /** Copies the files of a model directory (flat) into {@code to}. */
    public static void copyDirectory(Path from, Path to) throws java.io.IOException {
        java.nio.file.Files.createDirectories(to);
        try (var files = java.nio.file.Files.list(from)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(
                        f,
                        to.resolve(f.getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Flips one bit in the middle of {@code file}: a corrupt artifact for refusal tests. */
    public static void flipAByte(Path file) throws java.io.IOException {
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        java.nio.file.Files.write(file, bytes);
    }

    /** Rewrites {@code SHA256SUMS} after a test edited an artifact, so only the edit is wrong. */
    public static void rewriteChecksums(Path dir) throws Exception {
        StringBuilder sums = new StringBuilder();
        for (String f :
                java.util.List.of(
                        io.sensorcast.model.artifact.ModelArtifact.PARAMETERS,
                        io.sensorcast.model.artifact.ModelArtifact.MANIFEST)) {
            byte[] digest =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(java.nio.file.Files.readAllBytes(dir.resolve(f)));
            sums.append(java.util.HexFormat.of().formatHex(digest))
                    .append("  ")
                    .append(f)
                    .append('\n');
        }
        java.nio.file.Files.writeString(
                dir.resolve(io.sensorcast.model.artifact.ModelArtifact.CHECKSUMS), sums.toString());
    }
}
