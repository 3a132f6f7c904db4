package io.sensorcast.model.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.sensorcast.model.block.NetworkConfig;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * An ONNX graph served by ONNX Runtime on the CPU, one session per model, through ONNX Runtime's
 * own Java API: the session is built from the graph's bytes (no file), and a pass is one input
 * tensor made from the Java floats, one {@code run} and one copy out. DJL's ONNX Runtime engine
 * wraps the same calls in NDManagers and NDArrays that cost a random UUID each, about a tenth of a
 * small pass (measured by {@code sensorcast bench-model}). Owns native memory: close it.
 */
public final class OrtNetwork implements ServingNetwork {

    /** ONNX Runtime's session option for busy-waiting intra-op threads. */
    static final String SPINNING = "session.intra_op.allow_spinning";

    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final long window;
    private final long features;
    private final int rowBlock;

    /**
     * System property ({@code true}/{@code false}, default false): whether passes are {@linkplain
     * #ROW_BLOCK padded} so that a window's forecast does not depend on its batch.
     */
    public static final String BATCH_INVARIANT_PROPERTY = "sensorcast.onnxruntime.batch-invariant";

    /**
     * Rows a batch-invariant pass is padded to a multiple of. ONNX Runtime's matrix multiply
     * computes rows in blocks of four and the rows left over (one to three) on other paths whose
     * rounding differs, so a window's forecast can depend, by a unit in the last place, on how many
     * windows happened to share its batch — which depends on timing. Padded, a window is forecast
     * alike whatever its batch ({@code OnnxExportTest}), at the cost of up to three extra rows a
     * pass: half the throughput at batch 1, nothing measurable at 256.
     */
    static final int ROW_BLOCK = 4;

    private OrtNetwork(
            OrtSession session,
            OrtSession.SessionOptions options,
            NetworkConfig c,
            boolean batchInvariant) {
        this.session = session;
        this.options = options;
        this.window = c.window();
        this.features = c.inputFeatures();
        this.rowBlock = batchInvariant ? ROW_BLOCK : 1;
    }

    /**
     * A session over {@code onnx} for a network of {@code config}, with {@code intraOpThreads}
     * threads a pass (0: ONNX Runtime's default, one per core) and one inter-op thread, batch
     * invariant when {@value #BATCH_INVARIANT_PROPERTY} is {@code true}.
     */
    public static OrtNetwork load(byte[] onnx, NetworkConfig config, int intraOpThreads)
            throws OrtException {
        return load(onnx, config, intraOpThreads, batchInvariant());
    }

    /**
     * {@value #BATCH_INVARIANT_PROPERTY} in this JVM: false when unset.
     *
     * @throws IllegalArgumentException for a value other than {@code true} or {@code false} (any
     *     case), naming the property
     */
    public static boolean batchInvariant() {
        String value = System.getProperty(BATCH_INVARIANT_PROPERTY);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(
                BATCH_INVARIANT_PROPERTY + " must be true or false, got '" + value + "'");
    }

    /**
     * {@link #load(byte[], NetworkConfig, int)}, batch invariant (every pass padded to whole row
     * blocks) or not.
     */
    public static OrtNetwork load(
            byte[] onnx, NetworkConfig config, int intraOpThreads, boolean batchInvariant)
            throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setInterOpNumThreads(1);
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Idle pool threads sleep instead of spinning: on a TaskManager they would take the
            // cores other subtasks (and the other engine) need.
            options.addConfigEntry(SPINNING, "0");
            return new OrtNetwork(
                    environment().createSession(onnx, options), options, config, batchInvariant);
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    @Override
    public String engine() {
        return "ONNX Runtime " + environment().getVersion();
    }

    @Override
    public float[] forward(float[] windows, int n) {
        int padded = (n + rowBlock - 1) / rowBlock * rowBlock;
        if (padded == n) {
            return run(windows, n);
        }
        int size = Math.toIntExact(window * features);
        float[] rows = Arrays.copyOf(windows, padded * size);
        for (int r = n; r < padded; r++) {
            System.arraycopy(windows, (n - 1) * size, rows, r * size, size); // the last again
        }
        float[] out = run(rows, padded);
        return Arrays.copyOf(out, out.length / padded * n);
    }

    private float[] run(float[] windows, int n) {
        try (OnnxTensor x =
                        OnnxTensor.createTensor(
                                environment(),
                                FloatBuffer.wrap(windows),
                                new long[] {n, window, features});
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, x))) {
            FloatBuffer y = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] out = new float[y.remaining()];
            y.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed a forward pass: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing to recover: the session is gone either way
        } finally {
            options.close();
        }
    }
}
