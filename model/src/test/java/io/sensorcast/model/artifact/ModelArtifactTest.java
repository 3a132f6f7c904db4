package io.sensorcast.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.ReadingWindow;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.dataset.TimeSeriesTable;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.dataset.WindowSpec;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.manifest.CorruptModelException;
import io.sensorcast.model.manifest.IncompatibleModelException;
import io.sensorcast.model.manifest.InvalidModelException;
import io.sensorcast.model.manifest.ModelManifest;
import io.sensorcast.model.manifest.TrainingOptions;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.model.training.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelArtifactTest {

    private static final int WINDOW = 16;
    private static final int HORIZON = 4;

    @TempDir static Path shared;
    private static Path saved;
    private static float[] expected;
    private static float[] windows;

    @TempDir Path dir;

    @BeforeAll
    static void trainAndSave() throws IOException {
        DjlRuntime.engine();
        TimeSeriesTable table = table(300);
        TrainingRun run =
                new TrainingRun(
                        table,
                        "two-columns",
                        List.of("load"),
                        List.of("temp"),
                        new WindowSpec(WINDOW, HORIZON, 1),
                        TimeSplit.fractions(table.rows(), 0.6, 0.2),
                        8);
        NetworkConfig network = run.network().optHiddenSize(6).optLayers(2).build();
        windows = new float[3 * WINDOW * 2];
        Random random = new Random(5);
        for (int i = 0; i < windows.length; i++) {
            windows[i] = 10 + (float) random.nextGaussian();
        }
        saved = shared.resolve("v1");
        try (TrainingRun.Outcome outcome =
                run.train(network, TrainingOptions.defaults().withEpochs(1), e -> {})) {
            ModelArtifact.save(saved, outcome.trained().block(), outcome.manifest());
            ForecastModel live =
                    new ForecastModel(
                            outcome.trained().model(),
                            outcome.trained().block(),
                            outcome.manifest());
            expected = live.predict(windows, 3);
        }
    }

    static TimeSeriesTable table(int rows) {
        Random random = new Random(9);
        List<String> stamps = new ArrayList<>();
        double[][] v = new double[2][rows];
        for (int t = 0; t < rows; t++) {
            stamps.add("2024-01-01T" + t);
            v[0][t] = 100 + 10 * Math.sin(t / 5.0) + random.nextGaussian();
            v[1][t] = 30 + 0.1 * v[0][t] + random.nextGaussian();
        }
        return new TimeSeriesTable(stamps, List.of("load", "temp"), v);
    }

    @Test
    void roundTripsParametersAndManifest() throws Exception {
        try (ForecastModel loaded = ModelArtifact.load(saved)) {
            assertThat(loaded.predict(windows, 3)).containsExactly(expected);
            ModelManifest m = loaded.manifest();
            assertThat(m.features()).containsExactly("load", "temp");
            assertThat(m.targets()).containsExactly("temp");
            assertThat(m.window()).isEqualTo(WINDOW);
            assertThat(m.data().source()).isEqualTo("two-columns");
            assertThat(m.validation()).containsKeys("model", "persistence", "linear");
            assertThat(m.torchVersion()).isEqualTo("2.7.1");
            assertThat(m.djlVersion()).isEqualTo("0.35.1");
        }
        assertThat(expected).hasSize(3 * HORIZON);
    }

    /** A window whose columns are named, in any order, row-major. */
    private record Named(String[] names, double[] values) implements ReadingWindow {
        @Override
        public int steps() {
            return values.length / names.length;
        }

        @Override
        public int columns() {
            return names.length;
        }

        @Override
        public String column(int c) {
            return names[c];
        }

        @Override
        public double value(int step, int c) {
            return values[step * names.length + c];
        }
    }

    /** The first three forecasts are {@link #expected}'s three windows'. */
    private static void assertTheThreeExpected(float[][] f) {
        for (int i = 0; i < 3; i++) {
            assertThat(f[i])
                    .containsExactly(Arrays.copyOfRange(expected, i * HORIZON, (i + 1) * HORIZON));
        }
    }

    @Test
    void forecastsWindowsByColumnNameFromTheirNewestSteps() throws Exception {
        // each of the three windows with an extra column, its columns swapped and 4 older steps
        String[] names = {"extra", "temp", "load"};
        List<ReadingWindow> named = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            double[] v = new double[(WINDOW + 4) * 3];
            for (int s = 0; s < WINDOW; s++) {
                int row = (4 + s) * 3;
                v[row] = -1;
                v[row + 1] = windows[(i * WINDOW + s) * 2 + 1];
                v[row + 2] = windows[(i * WINDOW + s) * 2];
            }
            named.add(new Named(names, v));
        }
        named.add(new Named(new String[] {"load", "pressure"}, new double[WINDOW * 2]));
        named.add(new Named(names, new double[(WINDOW - 1) * 3]));
        try (ForecastModel loaded = ModelArtifact.load(saved)) {
            float[][] f = loaded.forecast(named);
            assertTheThreeExpected(f);
            assertThat(f[3]).isNull(); // no "temp"
            assertThat(f[4]).isNull(); // a step short of the window
        }
    }

    /**
     * A model of one reading column and its seasonal channels reads any window of one reading
     * column with the same channels, whatever the column is called (as a one-column model reads any
     * one-column window); with two reading columns, names must match.
     */
    @Test
    void aOneColumnModelReadsItsSeasonalChannelsUnderAnyColumnName() throws Exception {
        Path channelModel = dir.resolve("channel-model");
        try (ForecastModel loaded = ModelArtifact.load(saved)) {
            ModelArtifact.save(
                    channelModel,
                    loaded.block(),
                    renamed(
                            loaded.manifest(),
                            List.of("value"),
                            "value@1d",
                            "value")); // load, temp
        }
        List<ReadingWindow> named = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            double[] v = new double[WINDOW * 2];
            for (int s = 0; s < WINDOW; s++) {
                v[s * 2] = windows[(i * WINDOW + s) * 2 + 1];
                v[s * 2 + 1] = windows[(i * WINDOW + s) * 2];
            }
            named.add(new Named(new String[] {"temperature", "temperature@1d"}, v));
        }
        named.add(new Named(new String[] {"t", "u", "t@1d"}, new double[WINDOW * 3]));
        named.add(new Named(new String[] {"t", "t@7d"}, new double[WINDOW * 2]));
        try (ForecastModel loaded = ModelArtifact.load(channelModel)) {
            float[][] f = loaded.forecast(named);
            assertTheThreeExpected(f);
            assertThat(f[3]).isNull(); // two reading columns: no "value", no "value@1d"
            assertThat(f[4]).isNull(); // another channel
        }
    }

    @Test
    void servesOnOnnxRuntimeWhatLibtorchForecasts() throws Exception {
        try (ForecastModel onnx =
                        ModelArtifact.load(
                                        saved, ModelRequirements.ANY, ModelArtifact.Limits.DEFAULT)
                                .servedOn(ServingEngine.ONNXRUNTIME);
                ForecastModel torch =
                        ModelArtifact.load(
                                        saved, ModelRequirements.ANY, ModelArtifact.Limits.DEFAULT)
                                .servedOn(ServingEngine.PYTORCH)) {
            assertThat(onnx.serving().engine()).startsWith("ONNX Runtime");
            assertThat(torch.serving().engine()).startsWith("PyTorch");
            float[] actual = onnx.predict(windows, 3);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], within(1e-5f * Math.abs(expected[i])));
            }
            assertThat(torch.predict(windows, 3)).containsExactly(expected);
        }
        assertThat(ServingEngine.AUTO.resolve(0)).isEqualTo(ServingEngine.ONNXRUNTIME);
        assertThat(ServingEngine.AUTO.resolve(1)).isEqualTo(ServingEngine.PYTORCH);
        assertThat(ServingEngine.PYTORCH.resolve(0)).isEqualTo(ServingEngine.PYTORCH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.params", "manifest.json", "SHA256SUMS"})
    void refusesAFlippedByteInAnyFile(String file) throws Exception {
        Path copy = copyOf(saved);
        Path target = copy.resolve(file);
        byte[] bytes = Files.readAllBytes(target);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(target, bytes);
        assertThatThrownBy(() -> ModelArtifact.load(copy))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining(file.equals("SHA256SUMS") ? "" : file);
    }

    @Test
    void refusesAMissingFile() throws Exception {
        Path copy = copyOf(saved);
        Files.delete(copy.resolve(ModelArtifact.PARAMETERS));
        assertThatThrownBy(() -> ModelArtifact.load(copy))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("model.params: missing");
        Files.delete(copy.resolve(ModelArtifact.CHECKSUMS));
        assertThatThrownBy(() -> ModelArtifact.load(copy))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("SHA256SUMS: missing");
    }

    @Test
    void refusesAModelMadeForOtherFeaturesOrWindow() throws Exception {
        ModelRequirements otherWindow =
                new ModelRequirements(
                        WINDOW * 2, HORIZON, List.of("load", "temp"), List.of("temp"));
        assertThatThrownBy(() -> ModelArtifact.load(saved, otherWindow))
                .isInstanceOf(IncompatibleModelException.class)
                .hasMessage("window: expected 32, artifact has 16");
        ModelRequirements otherFeatures =
                new ModelRequirements(WINDOW, HORIZON, List.of("temp"), List.of("temp"));
        assertThatThrownBy(() -> ModelArtifact.load(saved, otherFeatures))
                .isInstanceOf(IncompatibleModelException.class)
                .hasMessage("features: expected [temp], artifact has [load, temp]");
        // serving: a window no longer than the job keeps, the replaced model's columns
        assertThatThrownBy(
                        () ->
                                ModelArtifact.load(
                                        saved, ModelRequirements.servable(WINDOW - 1, null)))
                .isInstanceOf(IncompatibleModelException.class)
                .hasMessage(
                        "window (at most the readings kept per sensor): expected 15, artifact has"
                                + " 16");
        try (ForecastModel m =
                ModelArtifact.load(saved, ModelRequirements.servable(WINDOW, null))) {
            assertThatThrownBy(() -> loadReplacing(renamedFeatures(m.manifest(), "temp", "load")))
                    .hasMessage(
                            "features (the readings' columns): expected [temp, load], artifact has"
                                    + " [load, temp]");
            // a replacement may add seasonal channels, or drop them
            ModelManifest withChannels = renamedFeatures(m.manifest(), "load", "temp", "temp@1d");
            try (ForecastModel replacing = loadReplacing(withChannels)) {
                assertThat(replacing.manifest().features()).containsExactly("load", "temp");
            }
            assertThatThrownBy(
                            () -> loadReplacing(renamedFeatures(m.manifest(), "load", "temp@1d")))
                    .hasMessage(
                            "features (the readings' columns): expected [load], artifact has [load,"
                                    + " temp]");
        }
    }

    /** The saved model, loaded as a serving job replacing {@code replaced} would load it. */
    private static ForecastModel loadReplacing(ModelManifest replaced)
            throws InvalidModelException {
        return ModelArtifact.load(saved, ModelRequirements.servable(WINDOW, replaced));
    }

    /** {@code m} reading {@code features} instead of its own. */
    private static ModelManifest renamedFeatures(ModelManifest m, String... features) {
        return renamed(m, m.targets(), features);
    }

    /** {@code m} reading {@code features} and forecasting {@code targets} instead of its own. */
    private static ModelManifest renamed(
            ModelManifest m, List<String> targets, String... features) {
        return new ModelManifest(
                m.formatVersion(),
                m.network(),
                List.of(features),
                targets,
                m.scaler(),
                m.seasonPeriod(),
                m.data(),
                m.trainingOptions(),
                m.training(),
                m.validation(),
                m.createdAt(),
                m.djlVersion(),
                m.torchVersion());
    }

    @Test
    void refusesAnotherFormatVersionEvenWithValidChecksums() throws Exception {
        Path copy = copyOf(saved);
        Path manifest = copy.resolve(ModelArtifact.MANIFEST);
        Files.writeString(
                manifest,
                Files.readString(manifest)
                        .replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        rewriteChecksums(copy);
        assertThatThrownBy(() -> ModelArtifact.load(copy))
                .isInstanceOf(IncompatibleModelException.class)
                .hasMessage("formatVersion: expected 1, artifact has 2");
    }

    @Test
    void refusesParametersThatDoNotFitTheManifestArchitecture() throws Exception {
        Path copy = copyOf(saved);
        Path manifest = copy.resolve(ModelArtifact.MANIFEST);
        Files.writeString(
                manifest,
                Files.readString(manifest).replace("\"hiddenSize\" : 6", "\"hiddenSize\" : 7"));
        rewriteChecksums(copy);
        assertThatThrownBy(() -> ModelArtifact.load(copy))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining("parameters do not fit");
    }

    @Test
    void refusesAManifestAnnouncingAHugeNetworkBeforeAllocatingIt() throws Exception {
        Path copy = copyOf(saved);
        Path manifest = copy.resolve(ModelArtifact.MANIFEST);
        String original = Files.readString(manifest);
        // 4,096 hidden units, two layers, both directions: 537 million recurrent parameters
        Files.writeString(
                manifest, original.replace("\"hiddenSize\" : 6", "\"hiddenSize\" : 4096"));
        rewriteChecksums(copy);
        assertThatThrownBy(() -> ModelArtifact.load(copy))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("network: ")
                .hasMessageContaining("recurrent parameters, at most 50000000")
                .hasMessageContaining("sensorcast.models.max-parameters");
        // and a lower limit, as a job's option sets it, refuses the real network too
        Path real = copyOf(saved, "real");
        assertThatThrownBy(
                        () ->
                                ModelArtifact.load(
                                        real,
                                        ModelRequirements.ANY,
                                        new ModelArtifact.Limits(10, 256L << 20)))
                .hasMessageContaining("recurrent parameters, at most 10");
        // within the limit but larger than the parameter file holds: refused before allocating
        Files.writeString(
                manifest, original.replace("\"hiddenSize\" : 6", "\"hiddenSize\" : 1000"));
        rewriteChecksums(copy);
        assertThatThrownBy(() -> ModelArtifact.load(copy))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining(
                        "parameters do not fit the manifest's network: it needs at least");
    }

    /** A parameter file larger than the limit is refused by its size, before it is read. */
    @Test
    void refusesAnArtifactFileLargerThanTheLimitWithoutReadingIt() throws Exception {
        Path copy = copyOf(saved);
        long size = Files.size(copy.resolve(ModelArtifact.PARAMETERS));
        assertThatThrownBy(
                        () ->
                                ModelArtifact.load(
                                        copy,
                                        ModelRequirements.ANY,
                                        new ModelArtifact.Limits(50_000_000L, size - 1)))
                .isInstanceOf(CorruptModelException.class)
                .hasMessageContaining(
                        ModelArtifact.PARAMETERS
                                + ": "
                                + size
                                + " bytes, at most "
                                + (size - 1)
                                + " (sensorcast.models.max-artifact-size); not read");
        try (ForecastModel m =
                ModelArtifact.load(
                        copy, ModelRequirements.ANY, new ModelArtifact.Limits(50_000_000L, size))) {
            assertThat(m.manifest()).isNotNull();
        }
    }

    private Path copyOf(Path source) throws IOException {
        return copyOf(source, "copy");
    }

    private Path copyOf(Path source, String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        for (String f :
                List.of(
                        ModelArtifact.PARAMETERS,
                        ModelArtifact.MANIFEST,
                        ModelArtifact.CHECKSUMS)) {
            Files.copy(source.resolve(f), copy.resolve(f));
        }
        return copy;
    }

    private static void rewriteChecksums(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of(ModelArtifact.PARAMETERS, ModelArtifact.MANIFEST)) {
            sb.append(ModelArtifact.sha256(Files.readAllBytes(dir.resolve(f))))
                    .append("  ")
                    .append(f)
                    .append('\n');
        }
        Files.writeString(dir.resolve(ModelArtifact.CHECKSUMS), sb.toString());
    }
}
