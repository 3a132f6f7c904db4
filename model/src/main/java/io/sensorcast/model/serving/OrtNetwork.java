package io.sensorcast.model.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.sensorcast.model.block.NetworkConfig;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An ONNX graph served by ONNX Runtime on the CPU, one single-threaded session per thread a pass
 * may use, through ONNX Runtime's own Java API: sessions are built from the graph's bytes (no
 * file); a batch is cut into one part per thread and passes of at most {@link #MAX_PASS_ROWS} rows,
 * each one input tensor made from the Java floats, one {@code run} and one copy out. DJL's ONNX
 * Runtime engine wraps the same calls in NDManagers and NDArrays that cost a random UUID each,
 * about a tenth of a small pass (measured by {@code sensorcast bench-model}). Owns native memory:
 * close it.
 */
public final class OrtNetwork implements ServingNetwork {

    /** ONNX Runtime's session option for busy-waiting intra-op threads. */
    public static final String SPINNING = "session.intra_op.allow_spinning";

    /** One single-threaded session per thread a forward pass may use. */
    private final OrtSession[] sessions;

    private final OrtSession.SessionOptions options;
    private final long window;
    private final long features;
    private final int outputsPerWindow; // horizon × targets
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
            OrtSession[] sessions,
            OrtSession.SessionOptions options,
            NetworkConfig c,
            boolean batchInvariant) {
        this.sessions = sessions;
        this.options = options;
        this.window = c.window();
        this.features = c.inputFeatures();
        this.outputsPerWindow = c.horizon() * c.targets();
        this.rowBlock = batchInvariant ? ROW_BLOCK : 1;
    }

    /**
     * The network of {@code config} in {@code onnx}, forecasting on {@code intraOpThreads} threads
     * (0: one per core), batch invariant when {@value #BATCH_INVARIANT_PROPERTY} is {@code true}.
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
     *
     * <p>With more than one thread, a batch is cut into one part per thread, each forecast on its
     * own single-threaded session at once, rather than given to one session with an intra-op pool:
     * ONNX Runtime parallelises a recurrent layer step by step, and on the Zen 5 build machine two
     * single-threaded sessions forecast 1.5–2.4× the windows of one two-threaded session at batches
     * 8–256 ({@code bench-model}, W64 H64 L2 and W48 H32 L1). A window's forecast then does not
     * depend on the thread count either.
     */
    public static OrtNetwork load(
            byte[] onnx, NetworkConfig config, int intraOpThreads, boolean batchInvariant)
            throws OrtException {
        int threads =
                intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession[] sessions = new OrtSession[threads];
        try {
            options.setInterOpNumThreads(1);
            options.setIntraOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // No pool threads to spin; stated anyway, so no ONNX Runtime default takes cores
            // other subtasks (and the other engine) need.
            options.addConfigEntry(SPINNING, "0");
            for (int i = 0; i < threads; i++) {
                sessions[i] = environment().createSession(onnx, options);
            }
            return new OrtNetwork(sessions, options, config, batchInvariant);
        } catch (OrtException | RuntimeException e) {
            closeAll(sessions);
            options.close();
            throw e;
        }
    }

    /** The threads a forward pass may use. */
    public int threads() {
        return sessions.length;
    }

    private static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    @Override
    public String engine() {
        return "ONNX Runtime " + environment().getVersion();
    }

    /**
     * Rows a pass runs at most; a larger part runs as several passes. ONNX Runtime's LSTM slows
     * down per window as its batch grows past this (its per-step working set leaves the core's
     * cache): on the Zen 5 build machine, a single-threaded session forecast W48 H32 L1 at 53k
     * windows/s for batch 32 against 46k at 64 and 35k at 8, W64 H64 L2 at 6.3k for batch 32
     * against 5.9k at 64 and 5.8k at 8; a two-threaded one fell from 57k (64) to 43k (256) and 35k
     * (1,024). A multiple of {@link #ROW_BLOCK}, so batch invariance holds.
     */
    static final int MAX_PASS_ROWS = 32;

    @Override
    public float[] forward(float[] windows, int n) {
        float[] out = new float[n * outputsPerWindow];
        int parts = Math.min(sessions.length, (n + ROW_BLOCK - 1) / ROW_BLOCK);
        if (parts <= 1) {
            passes(sessions[0], windows, 0, n, out);
            return out;
        }
        // Parts of whole row blocks, so a batch-invariant forecast is the same in any part; each
        // writes its own rows of the output.
        int per = ((n + parts - 1) / parts + ROW_BLOCK - 1) / ROW_BLOCK * ROW_BLOCK;
        parts = (n + per - 1) / per;
        List<CompletableFuture<Void>> others = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            OrtSession session = sessions[p];
            int from = p * per;
            int rows = Math.min(per, n - from);
            others.add(
                    CompletableFuture.runAsync(
                            () -> passes(session, windows, from, rows, out), WORKERS));
        }
        passes(sessions[0], windows, 0, per, out);
        for (CompletableFuture<Void> other : others) {
            try {
                other.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return out;
    }

    /**
     * Threads that forecast the parts of a batch beyond the caller's own: created when needed, gone
     * after a minute idle, daemons (a model never keeps a JVM alive).
     */
    private static final ExecutorService WORKERS =
            Executors.newCachedThreadPool(
                    task -> {
                        Thread t = new Thread(task, "sensorcast-onnxruntime-part");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * Forecasts rows {@code [from, from + n)} of {@code windows} on {@code session} into the same
     * rows of {@code out}, in passes of at most {@link #MAX_PASS_ROWS}.
     */
    private void passes(OrtSession session, float[] windows, int from, int n, float[] out) {
        for (int at = from; at < from + n; at += MAX_PASS_ROWS) {
            pass(session, windows, at, Math.min(MAX_PASS_ROWS, from + n - at), out);
        }
    }

    /** One pass over rows {@code [from, from + n)}, padded to whole row blocks. */
    private void pass(OrtSession session, float[] windows, int from, int n, float[] out) {
        int size = Math.toIntExact(window * features);
        int padded = (n + rowBlock - 1) / rowBlock * rowBlock;
        FloatBuffer input;
        if (padded == n) {
            input = FloatBuffer.wrap(windows, from * size, n * size);
        } else {
            float[] rows = Arrays.copyOfRange(windows, from * size, (from + padded) * size);
            for (int r = n; r < padded; r++) {
                System.arraycopy(windows, (from + n - 1) * size, rows, r * size, size); // the last
            }
            input = FloatBuffer.wrap(rows);
        }
        try (OnnxTensor x =
                        OnnxTensor.createTensor(
                                environment(), input, new long[] {padded, window, features});
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, x))) {
            FloatBuffer y = ((OnnxTensor) result.get(0)).getFloatBuffer();
            if (y.remaining() != padded * outputsPerWindow) {
                throw new IllegalStateException(
                        "ONNX Runtime returned "
                                + y.remaining()
                                + " values for "
                                + padded
                                + " windows, expected "
                                + outputsPerWindow
                                + " each");
            }
            y.get(out, from * outputsPerWindow, n * outputsPerWindow);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed a forward pass: " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            closeAll(sessions);
        } finally {
            options.close();
        }
    }

    private static void closeAll(OrtSession[] sessions) {
        for (OrtSession session : sessions) {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException e) {
                    // nothing to recover: the session is gone either way
                }
            }
        }
    }
}
