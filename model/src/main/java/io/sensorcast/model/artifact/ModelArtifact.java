package io.sensorcast.model.artifact;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.block.ForecastBlock;
import io.sensorcast.model.block.NetworkConfig;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.manifest.CorruptModelException;
import io.sensorcast.model.manifest.IncompatibleModelException;
import io.sensorcast.model.manifest.InvalidModelException;
import io.sensorcast.model.manifest.ModelManifest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model version on disk: a directory holding {@value #PARAMETERS} (the DJL parameters), {@value
 * #MANIFEST} ({@link ModelManifest}) and {@value #CHECKSUMS} (a SHA-256 per file, {@code sha256sum}
 * format, written last).
 *
 * <p>Loading refuses anything it cannot trust: a missing or altered file ({@link
 * CorruptModelException}), an unknown format or inconsistent manifest, or a model made for other
 * inputs than the caller needs ({@link IncompatibleModelException}). Nothing is loaded silently.
 */
public final class ModelArtifact {

    public static final String PARAMETERS = "model.params";
    public static final String MANIFEST = "manifest.json";
    public static final String CHECKSUMS = "SHA256SUMS";

    private static final List<String> CHECKED_FILES = List.of(PARAMETERS, MANIFEST);

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelArtifact() {}

    /** The JSON mapper used for manifests, for callers that print or parse them. */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Writes {@code block}'s parameters and {@code manifest} into {@code dir} (created if needed;
     * existing artifact files are replaced).
     */
    public static void save(Path dir, ForecastBlock block, ModelManifest manifest)
            throws IOException {
        if (!block.config().equals(manifest.network())) {
            throw new IllegalArgumentException(
                    "manifest network "
                            + manifest.network()
                            + " is not the block's "
                            + block.config());
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(CHECKSUMS));
        try (OutputStream out = Files.newOutputStream(dir.resolve(PARAMETERS));
                DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
            block.saveParameters(data);
        }
        Files.write(dir.resolve(MANIFEST), JSON.writeValueAsBytes(manifest));
        StringBuilder sums = new StringBuilder();
        for (String file : CHECKED_FILES) {
            sums.append(sha256(Files.readAllBytes(dir.resolve(file))))
                    .append("  ")
                    .append(file)
                    .append('\n');
        }
        Files.writeString(dir.resolve(CHECKSUMS), sums.toString(), StandardCharsets.UTF_8);
    }

    /**
     * What a loader accepts at most, checked before anything is read or allocated: a model's
     * recurrent parameters, and the bytes of any one file of the artifact. The jobs take them from
     * {@code sensorcast.models.max-parameters} and {@code sensorcast.models.max-artifact-size}.
     */
    public record Limits(long maxParameters, long maxFileBytes) implements java.io.Serializable {

        /** 50 million recurrent parameters (200 MB of floats), 256 MiB a file. */
        public static final Limits DEFAULT = new Limits(50_000_000L, 256L << 20);

        public Limits {
            if (maxParameters < 1 || maxFileBytes < 1) {
                throw new IllegalArgumentException(
                        "model limits must be >= 1, got "
                                + maxParameters
                                + " parameters and "
                                + maxFileBytes
                                + " bytes");
            }
        }
    }

    /**
     * The recurrent layers' parameter count of {@code network}: per layer and direction, {@code
     * gates × hidden × (inputs + hidden)} weights and {@code 2 × gates × hidden} biases. A lower
     * bound of the whole model's (the head and skip path come on top).
     */
    static long recurrentParameters(NetworkConfig network) {
        long gates = (long) network.cell().gates() * network.hiddenSize();
        long total = 0;
        for (int layer = 0; layer < network.layers(); layer++) {
            long inputs =
                    layer == 0
                            ? network.inputFeatures()
                            : (long) network.hiddenSize() * network.directions();
            total += network.directions() * (gates * (inputs + network.hiddenSize()) + 2 * gates);
        }
        return total;
    }

    /**
     * Refuses, before anything is allocated, a manifest describing a network larger than the limit
     * or than its parameter file can hold (4 bytes a parameter): a manifest announcing billions of
     * parameters would otherwise be allocated in full before the parameters are read.
     */
    private static void checkSize(NetworkConfig network, long parameterBytes, Limits limits)
            throws InvalidModelException {
        long needed = recurrentParameters(network);
        if (needed > limits.maxParameters()) {
            throw new InvalidModelException(
                    "network: "
                            + needed
                            + " recurrent parameters, at most "
                            + limits.maxParameters()
                            + " (sensorcast.models.max-parameters)");
        }
        if (needed * Float.BYTES > parameterBytes) {
            throw new CorruptModelException(
                    PARAMETERS
                            + ": parameters do not fit the manifest's network: it needs at least "
                            + needed * Float.BYTES
                            + " bytes, the file has "
                            + parameterBytes);
        }
    }

    /**
     * Reads and verifies the manifest of the artifact in {@code dir} without loading parameters:
     * checksums, format version and internal consistency.
     */
    public static ModelManifest readManifest(Path dir) throws InvalidModelException {
        Map<String, byte[]> files = verifiedFiles(dir, Limits.DEFAULT);
        return parseManifest(files.get(MANIFEST));
    }

    /** Loads the artifact in {@code dir} for any inputs. The caller owns the returned model. */
    public static ForecastModel load(Path dir) throws InvalidModelException {
        return load(dir, ModelRequirements.ANY);
    }

    /**
     * Loads the artifact in {@code dir}, refusing it unless it meets {@code requirements}. The
     * caller owns (and must close) the returned model.
     */
    public static ForecastModel load(Path dir, ModelRequirements requirements)
            throws InvalidModelException {
        return load(dir, requirements, Limits.DEFAULT);
    }

    /**
     * Loads the artifact in {@code dir} if it meets {@code requirements} and is within {@code
     * limits}. The caller owns (and must close) the returned model.
     */
    public static ForecastModel load(Path dir, ModelRequirements requirements, Limits limits)
            throws InvalidModelException {
        return loadTorch(dir, requirements, limits);
    }

    private static ForecastModel loadTorch(Path dir, ModelRequirements requirements, Limits limits)
            throws InvalidModelException {
        Map<String, byte[]> files = verifiedFiles(dir, limits);
        ModelManifest manifest = parseManifest(files.get(MANIFEST));
        requirements.check(manifest);
        NetworkConfig network = manifest.network();
        checkSize(network, files.get(PARAMETERS).length, limits);
        DjlRuntime.engine();
        Model model = Model.newInstance(dir.getFileName() + "", DjlRuntime.device("auto"));
        try {
            ForecastBlock block = new ForecastBlock(network);
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(),
                    DataType.FLOAT32,
                    new Shape(1, network.window(), network.inputFeatures()));
            Map<String, Shape> shapes = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                shapes.put(p.getKey(), p.getValue().getArray().getShape());
            }
            try (DataInputStream in =
                    new DataInputStream(
                            new BufferedInputStream(
                                    new ByteArrayInputStream(files.get(PARAMETERS))))) {
                block.loadParameters(model.getNDManager(), in);
                if (in.read() != -1) {
                    throw new CorruptModelException(
                            dir + "/" + PARAMETERS + ": trailing bytes after the parameters");
                }
            }
            // DJL replaces each array with whatever the file holds; the architecture must agree.
            for (Pair<String, Parameter> p : block.getParameters()) {
                Shape loaded = p.getValue().getArray().getShape();
                if (!loaded.equals(shapes.get(p.getKey()))) {
                    throw new CorruptModelException(
                            dir
                                    + "/"
                                    + PARAMETERS
                                    + ": parameter "
                                    + p.getKey()
                                    + " has shape "
                                    + loaded
                                    + " but "
                                    + network
                                    + " needs "
                                    + shapes.get(p.getKey())
                                    + " (parameters do not fit the manifest)");
                }
            }
            return new ForecastModel(model, block, manifest);
        } catch (CorruptModelException e) {
            model.close();
            throw e;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new CorruptModelException(
                    dir + "/" + PARAMETERS + ": parameters do not fit " + network + ": " + e, e);
        }
    }

    private static Map<String, byte[]> verifiedFiles(Path dir, Limits limits)
            throws CorruptModelException {
        Map<String, String> expected = readChecksums(dir);
        if (!expected.keySet().equals(new java.util.HashSet<>(CHECKED_FILES))) {
            throw new CorruptModelException(
                    dir
                            + "/"
                            + CHECKSUMS
                            + ": must list exactly "
                            + CHECKED_FILES
                            + ", lists "
                            + expected.keySet());
        }
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (String file : CHECKED_FILES) {
            byte[] bytes;
            try {
                long size = Files.size(dir.resolve(file));
                if (size > limits.maxFileBytes()) {
                    throw new CorruptModelException(
                            dir
                                    + "/"
                                    + file
                                    + ": "
                                    + size
                                    + " bytes, at most "
                                    + limits.maxFileBytes()
                                    + " (sensorcast.models.max-artifact-size); not read");
                }
                bytes = Files.readAllBytes(dir.resolve(file));
            } catch (NoSuchFileException e) {
                throw new CorruptModelException(dir + "/" + file + ": missing", e);
            } catch (IOException e) {
                throw new CorruptModelException(dir + "/" + file + ": unreadable: " + e, e);
            }
            String actual = sha256(bytes);
            if (!actual.equals(expected.get(file))) {
                throw new CorruptModelException(
                        dir
                                + "/"
                                + file
                                + ": SHA-256 mismatch (expected "
                                + expected.get(file)
                                + ", file has "
                                + actual
                                + ")");
            }
            contents.put(file, bytes);
        }
        return contents;
    }

    private static Map<String, String> readChecksums(Path dir) throws CorruptModelException {
        List<String> lines;
        try {
            if (Files.size(dir.resolve(CHECKSUMS)) > 64 * 1024) {
                throw new CorruptModelException(
                        dir + "/" + CHECKSUMS + ": larger than 64 KiB, not a checksum list");
            }
            lines = Files.readAllLines(dir.resolve(CHECKSUMS), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CorruptModelException(
                    dir + "/" + CHECKSUMS + ": missing (incomplete or not a model artifact)", e);
        } catch (IOException e) {
            // Also a flipped byte that makes the file invalid UTF-8.
            throw new CorruptModelException(dir + "/" + CHECKSUMS + ": unreadable: " + e, e);
        }
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}")) {
                throw new CorruptModelException(
                        dir + "/" + CHECKSUMS + ": malformed line '" + line + "'");
            }
            sums.put(parts[1].startsWith("*") ? parts[1].substring(1) : parts[1], parts[0]);
        }
        return sums;
    }

    private static ModelManifest parseManifest(byte[] bytes) throws InvalidModelException {
        ModelManifest manifest;
        try {
            int version = JSON.readTree(bytes).path("formatVersion").asInt(-1);
            if (version != ModelManifest.FORMAT_VERSION) {
                throw new IncompatibleModelException(
                        "formatVersion", ModelManifest.FORMAT_VERSION, version);
            }
            manifest = JSON.readValue(bytes, ModelManifest.class);
        } catch (JsonProcessingException e) {
            throw new IncompatibleModelException(
                    "manifest", "a valid " + MANIFEST, e.getOriginalMessage());
        } catch (IOException e) {
            throw new CorruptModelException(MANIFEST + ": unreadable: " + e, e);
        }
        checkConsistent(manifest);
        return manifest;
    }

    private static void checkConsistent(ModelManifest m) throws IncompatibleModelException {
        if (m.network() == null) {
            throw new IncompatibleModelException("network", "an architecture", null);
        }
        if (m.features().size() != m.network().inputFeatures()) {
            throw new IncompatibleModelException(
                    "features", m.network().inputFeatures() + " names", m.features());
        }
        if (m.scaler() == null || m.scaler().columns() != m.features().size()) {
            throw new IncompatibleModelException(
                    "scaler",
                    m.features().size() + " columns",
                    m.scaler() == null ? null : m.scaler().columns());
        }
        int[] targetIndices = m.network().targetIndices();
        if (m.targets().size() != targetIndices.length) {
            throw new IncompatibleModelException(
                    "targets", targetIndices.length + " names", m.targets());
        }
        for (int k = 0; k < targetIndices.length; k++) {
            if (!m.features().get(targetIndices[k]).equals(m.targets().get(k))) {
                throw new IncompatibleModelException(
                        "targets[" + k + "]",
                        m.features().get(targetIndices[k]),
                        m.targets().get(k));
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
