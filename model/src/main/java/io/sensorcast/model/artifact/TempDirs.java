package io.sensorcast.model.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch directories: candidates being trained, local copies of remote artifacts, the model stores
 * of a demo or a benchmark.
 */
public final class TempDirs {

    private TempDirs() {}

    /** Deletes {@code dir} and everything in it; a scratch directory left behind is no error. */
    public static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the system cleans it up eventually
        }
    }
}
