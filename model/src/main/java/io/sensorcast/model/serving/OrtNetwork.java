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

    private OrtNetwork(OrtSession session, OrtSession.SessionOptions options, NetworkConfig c) {
        this.session = session;
        this.options = options;
        this.window = c.window();
        this.features = c.inputFeatures();
    }

    /**
     * A session over {@code onnx} for a network of {@code config}, with {@code intraOpThreads}
     * threads a pass (0: ONNX Runtime's default, one per core) and one inter-op thread.
     */
    public static OrtNetwork load(byte[] onnx, NetworkConfig config, int intraOpThreads)
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
            return new OrtNetwork(environment().createSession(onnx, options), options, config);
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

    /**
     * A single window is run as a batch of two (itself twice): ONNX Runtime's matrix multiply takes
     * a matrix-vector path for one row whose rounding differs from its path for more, so without
     * this a window's forecast would depend on whether other windows happened to share its batch
     * (by a unit in the last place, which a near-perfect forecast's error statistics amplify). From
     * two rows on, each row's result is the same whatever the batch ({@code OnnxExportTest}).
     */
    @Override
    public float[] forward(float[] windows, int n) {
        if (n == 1) {
            int size = Math.toIntExact(window * features);
            float[] twice = new float[2 * size];
            System.arraycopy(windows, 0, twice, 0, size);
            System.arraycopy(windows, 0, twice, size, size);
            float[] both = run(twice, 2);
            return Arrays.copyOf(both, both.length / 2);
        }
        return run(windows, n);
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
