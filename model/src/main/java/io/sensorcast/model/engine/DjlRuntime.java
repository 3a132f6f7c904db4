package io.sensorcast.model.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the PyTorch engine once per JVM, offline, with {@link EngineSettings}, and proves it
 * computes the right numbers before anything uses it.
 *
 * <p>DJL is told never to download anything ({@code ai.djl.offline=true}); libtorch comes from the
 * {@code pytorch-native-cpu} jar and the JNI glue from {@code pytorch-jni}, both unpacked into the
 * configured cache directory. The native library can be bound to only one classloader per JVM, so
 * in Flink this class must be loaded parent-first (the TaskManager's {@code lib/}).
 *
 * <p>Before libtorch loads, the oneDNN instruction-set cap is put into the process environment
 * ({@link OneDnnIsa}); right after, {@link RecurrentSelfCheck} compares the fused recurrent op with
 * the plain-Java gate equations on the CPU (and on a GPU when there is one). If they disagree,
 * every call here throws {@link KernelCheckException}: no model is trained or served in this JVM.
 * Every entry point that runs a model reaches the engine through this class, so each one runs the
 * check: the CLI, the forecasting and retraining operators on a TaskManager, the tests.
 */
public final class DjlRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(DjlRuntime.class);
    private static final String ENGINE = "PyTorch";

    private static EngineSettings applied;
    private static Engine engine;
    private static OneDnnIsa.Applied isa;
    private static EngineFacts facts;
    private static KernelCheckException failure;

    private DjlRuntime() {}

    /** The engine: as already loaded, else loaded with {@link EngineSettings#defaults()}. */
    public static synchronized Engine engine() {
        return engine != null ? checked() : engine(EngineSettings.defaults());
    }

    /** What was loaded and how the self-check went; loads the engine if needed. */
    public static synchronized EngineFacts facts() {
        if (engine == null) {
            try {
                engine();
            } catch (KernelCheckException e) {
                // the facts say so
            }
        }
        return facts;
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
            return checked();
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
        isa = OneDnnIsa.apply(settings.oneDnnMaxIsa());
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
        selfCheck(0);
        return checked();
    }

    /**
     * Runs the self-check again, adding {@code outputPerturbation} to the op's outputs before they
     * are compared, and keeps its verdict for every later call. Tests use it to stand in for a
     * wrong kernel (a nonzero value) and to restore the real verdict (0).
     */
    public static synchronized EngineFacts selfCheck(double outputPerturbation) {
        if (engine == null) {
            facts(); // loads the engine and runs the real check first
        }
        List<RecurrentSelfCheck.Report> reports = new ArrayList<>();
        reports.add(RecurrentSelfCheck.run(Device.cpu(), outputPerturbation));
        if (engine.getGpuCount() > 0) {
            reports.add(RecurrentSelfCheck.run(Device.gpu(), outputPerturbation));
        }
        facts =
                new EngineFacts(
                        ENGINE + " " + engine.getVersion(),
                        CpuInfo.read(),
                        isa,
                        applied.intraOpThreads(),
                        applied.interOpThreads(),
                        engine.getGpuCount(),
                        applied.cacheDir(),
                        List.copyOf(reports));
        failure = facts.passed() ? null : new KernelCheckException(facts);
        if (failure == null) {
            LOG.info("Loaded {}", facts.summary());
        } else {
            LOG.error(failure.getMessage());
        }
        return facts;
    }

    private static Engine checked() {
        if (failure != null) {
            throw new KernelCheckException(failure.facts());
        }
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
