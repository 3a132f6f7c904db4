package io.sensorcast.cli.sql;

import java.nio.file.Path;
import java.util.List;

/** Where the build leaves the jars a SQL job on a cluster needs. */
final class SqlJars {

    private SqlJars() {}

    /**
     * {@code sql/target/sensorcast-sql.jar} and the Kafka connector and client beside it, unshaded
     * as on this JVM's classpath: a plan made here names their classes as this JVM knows them.
     */
    static List<Path> defaults() {
        Path target =
                Path.of(System.getProperty("sensorcast.home", "."))
                        .toAbsolutePath()
                        .resolve("sql/target");
        return List.of(
                target.resolve("sensorcast-sql.jar"),
                target.resolve("sql-lib/flink-connector-kafka.jar"),
                target.resolve("sql-lib/kafka-clients.jar"));
    }
}
