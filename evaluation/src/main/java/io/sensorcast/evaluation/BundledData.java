package io.sensorcast.evaluation;

import java.nio.file.Path;

/** Where the bundled data is: {@code -Dsensorcast.data.dir}, else the launcher's checkout. */
public final class BundledData {

    private BundledData() {}

    public static Path dir() {
        String dir = System.getProperty("sensorcast.data.dir");
        return dir != null
                ? Path.of(dir)
                : Path.of(System.getProperty("sensorcast.home", "."), "data");
    }
}
