package io.sensorcast.cli;

import java.nio.file.Path;

/** Where the bundled data is: {@code -Dsensorcast.data.dir}, else the launcher's checkout. */
final class Defaults {

    private Defaults() {}

    static Path dataDir() {
        String dir = System.getProperty("sensorcast.data.dir");
        return dir != null
                ? Path.of(dir)
                : Path.of(System.getProperty("sensorcast.home", "."), "data");
    }
}
