package io.sensorcast.cli;

import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.EngineSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Engine settings every command that runs the model accepts. */
final class EngineOptions {

    @Option(
            names = "--threads",
            paramLabel = "N",
            description =
                    "libtorch intra-op threads (0 = one per core; default: ${DEFAULT-VALUE}).")
    int threads = 0;

    @Option(
            names = "--djl-cache",
            paramLabel = "DIR",
            description = "Where libtorch is unpacked (default: ~/.sensorcast/djl).")
    Path cacheDir;

    /** Loads the engine with these settings; call before any model work. */
    void apply() {
        EngineSettings settings = EngineSettings.defaults().withIntraOpThreads(threads);
        if (cacheDir != null) {
            settings = settings.withCacheDir(cacheDir);
        }
        DjlRuntime.engine(settings);
    }
}
