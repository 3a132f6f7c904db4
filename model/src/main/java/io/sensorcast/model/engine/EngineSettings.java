package io.sensorcast.model.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;

/**
 * The libtorch engine settings, in one typed place.
 *
 * <p>They must be applied before the PyTorch engine first loads (see {@link DjlRuntime}); DJL reads
 * them as system properties once per JVM. The defaults are the ones measured fastest for the fused
 * recurrent op on small CPU machines: one inter-op thread, no TorchScript graph optimiser, and one
 * intra-op thread per parallel caller.
 *
 * @param cacheDir where DJL unpacks libtorch from the {@code pytorch-native-cpu} jar; must be
 *     writable
 * @param intraOpThreads threads one op may use; 0 lets libtorch choose (all cores)
 * @param interOpThreads threads for independent ops; libtorch allows setting this once per process
 * @param graphOptimizer whether TorchScript's profiling graph executor runs (off: it only costs
 *     time for models that are not scripted)
 * @param oneDnnMaxIsa the instruction-set cap put into {@value OneDnnIsa#VARIABLE} when the
 *     environment has none (see {@link OneDnnIsa}); {@code ALL} sets nothing
 */
public record EngineSettings(
        Path cacheDir,
        int intraOpThreads,
        int interOpThreads,
        boolean graphOptimizer,
        String oneDnnMaxIsa) {

    /** System property overriding the cache directory (also used by the build's tests). */
    public static final String CACHE_DIR_PROPERTY = "sensorcast.djl.cache-dir";

    /** System property overriding the intra-op thread count. */
    public static final String INTRA_OP_THREADS_PROPERTY = "sensorcast.djl.intra-op-threads";

    /** System property overriding the oneDNN instruction-set cap. */
    public static final String ONEDNN_MAX_ISA_PROPERTY = "sensorcast.djl.onednn-max-isa";

    /** The default cap: AVX2 on CPUs whose oneDNN LSTM is known wrong above it, else none. */
    public static final String DEFAULT_ONEDNN_MAX_ISA = "AUTO";

    public EngineSettings {
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (intraOpThreads < 0 || intraOpThreads > 1024) {
            throw new IllegalArgumentException(
                    "intraOpThreads must be in [0, 1024] (0 = libtorch default), got "
                            + intraOpThreads);
        }
        if (interOpThreads < 1 || interOpThreads > 1024) {
            throw new IllegalArgumentException(
                    "interOpThreads must be in [1, 1024], got " + interOpThreads);
        }
        oneDnnMaxIsa = OneDnnIsa.validate(ONEDNN_MAX_ISA_PROPERTY, oneDnnMaxIsa);
    }

    /**
     * The defaults, with the cache directory, intra-op threads and oneDNN cap taken from {@value
     * #CACHE_DIR_PROPERTY}, {@value #INTRA_OP_THREADS_PROPERTY} and {@value
     * #ONEDNN_MAX_ISA_PROPERTY} when set.
     */
    public static EngineSettings defaults() {
        String dir = System.getProperty(CACHE_DIR_PROPERTY);
        Path cache = dir == null || dir.isBlank() ? defaultCacheDir() : Paths.get(dir);
        int intra = Integer.getInteger(INTRA_OP_THREADS_PROPERTY, 0);
        String isa = System.getProperty(ONEDNN_MAX_ISA_PROPERTY, DEFAULT_ONEDNN_MAX_ISA);
        return new EngineSettings(cache, intra, 1, false, isa);
    }

    public EngineSettings withIntraOpThreads(int threads) {
        return new EngineSettings(cacheDir, threads, interOpThreads, graphOptimizer, oneDnnMaxIsa);
    }

    public EngineSettings withCacheDir(Path dir) {
        return new EngineSettings(
                dir, intraOpThreads, interOpThreads, graphOptimizer, oneDnnMaxIsa);
    }

    /** {@code ~/.sensorcast/djl} when the home directory is writable, else under the temp dir. */
    static Path defaultCacheDir() {
        Path home = Paths.get(System.getProperty("user.home", "."));
        if (Files.isDirectory(home) && Files.isWritable(home)) {
            return home.resolve(".sensorcast").resolve("djl");
        }
        return Paths.get(System.getProperty("java.io.tmpdir"))
                .resolve("sensorcast-djl-" + System.getProperty("user.name", "user"));
    }
}
