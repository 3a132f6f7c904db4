package io.sensorcast.cli.options;

import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineFacts;
import io.sensorcast.model.engine.EngineSettings;
import io.sensorcast.model.engine.KernelCheckException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Engine settings every command that runs the model accepts. */
public final class EngineOptions {

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "libtorch intra-op threads (0 = one per core).")
    public int threads = 0;

    @Option(
            names = "--djl-cache",
            paramLabel = "DIR",
            description = "Where libtorch is unpacked (default: ~/.sensorcast/djl).")
    Path cacheDir;

    @Option(
            names = "--onednn-max-isa",
            paramLabel = "ISA",
            description =
                    "oneDNN instruction-set cap put into DNNL_MAX_CPU_ISA when the environment has"
                            + " none: AUTO (default) = AVX2 on AMD Zen 5 and later, whose AVX-512"
                            + " LSTM kernel is wrong in libtorch 2.7.1, no cap elsewhere; ALL = no"
                            + " cap; or a oneDNN level such as AVX2.")
    String oneDnnMaxIsa;

    /** Loads the engine with these settings; call before any model work. */
    public void apply() {
        DjlRuntime.engine(settings());
    }

    /** Loads the engine with these settings if needed, and says how it went. */
    public EngineFacts facts() {
        try {
            apply();
        } catch (KernelCheckException e) {
            return e.facts();
        }
        return DjlRuntime.facts();
    }

    private EngineSettings settings() {
        EngineSettings defaults = EngineSettings.defaults();
        return new EngineSettings(
                cacheDir != null ? cacheDir : defaults.cacheDir(),
                threads,
                defaults.interOpThreads(),
                defaults.graphOptimizer(),
                oneDnnMaxIsa != null ? oneDnnMaxIsa : defaults.oneDnnMaxIsa());
    }
}
