package io.sensorcast.deploy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The jars a standalone cluster runs on, as {@code ./mvnw -pl deploy -am package} leaves them in
 * {@code deploy/target}.
 *
 * @param flinkLib Flink's runtime (what a Flink distribution's {@code lib/} holds)
 * @param djlLib DJL and libtorch: on the cluster's classpath so they load parent-first, once per
 *     JVM
 * @param jobJar the shaded sensorcast jobs, without Flink or DJL
 */
public record ClusterJars(Path flinkLib, Path djlLib, Path jobJar) {

    /** The jars in a build's {@code deploy/target}. */
    public static ClusterJars inBuild(Path deployTarget) {
        return new ClusterJars(
                deployTarget.resolve("flink-lib"),
                deployTarget.resolve("lib-djl"),
                deployTarget.resolve("sensorcast-job.jar"));
    }

    /** Fails naming what is missing and how to build it. */
    public ClusterJars checked() {
        for (Path p : new Path[] {flinkLib, djlLib, jobJar}) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(
                        p
                                + " is missing: build it with './mvnw -B -DskipTests -pl deploy -am"
                                + " package'");
            }
        }
        return this;
    }

    /**
     * What a Flink distribution keeps in {@code opt/}, beside {@code lib/}: the SQL Gateway's jar.
     */
    public Path flinkOpt() {
        return flinkLib.resolveSibling("flink-opt");
    }

    /** The JobManager's and TaskManagers' classpath: Flink's lib, then DJL's. */
    public String classpath() {
        return flinkLib.toAbsolutePath()
                + File.separator
                + "*"
                + File.pathSeparator
                + djlLib.toAbsolutePath()
                + File.separator
                + "*";
    }
}
