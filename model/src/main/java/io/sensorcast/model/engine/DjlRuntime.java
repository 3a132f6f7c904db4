package io.sensorcast.model.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the PyTorch engine once per JVM, offline, with {@link EngineSettings}.
 *
 * <p>DJL is told never to download anything ({@code ai.djl.offline=true}); libtorch comes from the
 * {@code pytorch-native-cpu} jar and the JNI glue from {@code pytorch-jni}, both unpacked into the
 * configured cache directory. The native library can be bound to only one classloader per JVM, so
 * in Flink this class must be loaded parent-first (the TaskManager's {@code lib/}).
 */
public final class DjlRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DjlRuntime.class);
    private static final String ENGINE = "PyTorch";

    private static EngineSettings applied;
    private static Engine engine;

    private DjlRuntime() {}

    /** The engine: as already loaded, else loaded with {@link EngineSettings#defaults()}. */
    public static synchronized Engine engine() {
        return engine != null ? engine : engine(EngineSettings.defaults());
    }

    /**
     * The engine, loading it with {@code settings} if it is not loaded yet. Settings given after
     * the first load are ignored with a warning when they differ: libtorch reads them once.
     */
    public static synchronized Engine engine(EngineSettings settings) {
        if (engine != null) {
            if (!settings.equals(applied)) {
                LOG.warn(
                        "PyTorch engine already loaded with {}; ignoring later settings {}",
                        applied,
                        settings);
            }
            return engine;
        }
        try {
            Files.createDirectories(settings.cacheDir());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "DJL cache directory "
                            + settings.cacheDir()
                            + " (property "
                            + EngineSettings.CACHE_DIR_PROPERTY
                            + ") cannot be created",
                    e);
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_CACHE_DIR", settings.cacheDir().toString());
        System.setProperty("ENGINE_CACHE_DIR", settings.cacheDir().toString());
        System.setProperty("ai.djl.default_engine", ENGINE);
        System.setProperty(
                "ai.djl.pytorch.num_interop_threads", Integer.toString(settings.interOpThreads()));
        if (settings.intraOpThreads() > 0) {
            System.setProperty(
                    "ai.djl.pytorch.num_threads", Integer.toString(settings.intraOpThreads()));
        }
        System.setProperty(
                "ai.djl.pytorch.graph_optimizer", Boolean.toString(settings.graphOptimizer()));
        engine = Engine.getEngine(ENGINE);
        applied = settings;
        LOG.info(
                "Loaded {} {} (cache {}, intra-op threads {}, inter-op threads {})",
                ENGINE,
                engine.getVersion(),
                settings.cacheDir(),
                settings.intraOpThreads() == 0 ? "default" : settings.intraOpThreads(),
                settings.interOpThreads());
        return engine;
    }

    /**
     * The device to compute on: {@code "cpu"}, {@code "gpu"} (fails when the engine sees none) or
     * {@code "auto"} (the first GPU when there is one, else the CPU).
     */
    public static Device device(String name) {
        Engine e = engine();
        switch (name) {
            case "auto":
                return e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (e.getGpuCount() == 0) {
                    throw new IllegalArgumentException(
                            "device 'gpu' requested but the PyTorch engine sees no GPU");
                }
                return Device.gpu();
            default:
                throw new IllegalArgumentException(
                        "device must be one of auto, cpu, gpu; got '" + name + "'");
        }
    }
}
