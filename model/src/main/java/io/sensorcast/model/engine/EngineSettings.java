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
 */
public record EngineSettings(
        Path cacheDir, int intraOpThreads, int interOpThreads, boolean graphOptimizer) {

    /** System property overriding the cache directory (also used by the build's tests). */
    public static final String CACHE_DIR_PROPERTY = "sensorcast.djl.cache-dir";

    /** System property overriding the intra-op thread count. */
    public static final String INTRA_OP_THREADS_PROPERTY = "sensorcast.djl.intra-op-threads";

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
    }

    /**
     * The defaults, with the cache directory and intra-op threads taken from {@value
     * #CACHE_DIR_PROPERTY} and {@value #INTRA_OP_THREADS_PROPERTY} when set.
     */
    public static EngineSettings defaults() {
        String dir = System.getProperty(CACHE_DIR_PROPERTY);
        Path cache = dir == null || dir.isBlank() ? defaultCacheDir() : Paths.get(dir);
        int intra = Integer.getInteger(INTRA_OP_THREADS_PROPERTY, 0);
        return new EngineSettings(cache, intra, 1, false);
    }

    public EngineSettings withIntraOpThreads(int threads) {
        return new EngineSettings(cacheDir, threads, interOpThreads, graphOptimizer);
    }

    public EngineSettings withCacheDir(Path dir) {
        return new EngineSettings(dir, intraOpThreads, interOpThreads, graphOptimizer);
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
