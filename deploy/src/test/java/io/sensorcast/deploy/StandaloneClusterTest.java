package io.sensorcast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster home without starting anything: its config.yaml as Flink reads it, and refusals. */
class StandaloneClusterTest {

    @TempDir Path dir;

    private ClusterJars jars() throws Exception {
        Files.createDirectories(dir.resolve("build/flink-lib"));
        Files.createDirectories(dir.resolve("build/lib-djl"));
        Files.writeString(dir.resolve("build/sensorcast-job.jar"), "");
        return ClusterJars.inBuild(dir.resolve("build"));
    }

    @Test
    void flinkReadsTheGeneratedConfigWithDefaultsAndOverrides() throws Exception {
        StandaloneCluster cluster =
                StandaloneCluster.create(
                        dir.resolve("home"),
                        jars(),
                        Map.of(
                                "rest.port", "18099",
                                "env.java.opts.taskmanager", "-Dx='quoted: value' -Dy=#1"));
        Configuration c = cluster.configuration();
        assertThat(c.get(RestOptions.PORT)).isEqualTo(18099);
        assertThat(c.get(CoreOptions.FLINK_JVM_OPTIONS))
                .startsWith("--add-exports=java.base/sun.net.util=ALL-UNNAMED")
                .contains("--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
        assertThat(c.getString("env.java.opts.taskmanager", ""))
                .isEqualTo("-Dx='quoted: value' -Dy=#1");
        assertThat(c.getString("execution.checkpointing.dir", ""))
                .isEqualTo(dir.resolve("home/checkpoints").toUri().toString());
        assertThat(cluster.rest().base().toString()).isEqualTo("http://localhost:18099");
        assertThat(dir.resolve("home/conf/log4j.properties")).exists();
        assertThat(cluster.members()).isEmpty();
    }

    @Test
    void openingAHomeWithoutAClusterNamesIt() {
        assertThatThrownBy(() -> StandaloneCluster.open(dir, ClusterJars.inBuild(dir)))
                .hasMessageContaining("no cluster in " + dir)
                .hasMessageContaining("start one first");
    }

    @Test
    void missingJarsSayHowToBuildThem() {
        assertThatThrownBy(
                        () ->
                                StandaloneCluster.create(
                                        dir.resolve("home"), ClusterJars.inBuild(dir), Map.of()))
                .hasMessageContaining(dir.resolve("flink-lib") + " is missing")
                .hasMessageContaining("-pl deploy -am package");
    }

    @Test
    void aMemberWhosePidIsAnotherProgramCountsAsGone() throws Exception {
        StandaloneCluster cluster = StandaloneCluster.create(dir.resolve("home"), jars(), Map.of());
        // this test JVM is alive but is not a cluster member
        Files.writeString(
                dir.resolve("home/pids/taskmanager-1.pid"),
                Long.toString(ProcessHandle.current().pid()));
        assertThat(cluster.members())
                .containsExactly(
                        new StandaloneCluster.Member(
                                "taskmanager-1", ProcessHandle.current().pid(), false));
    }
}
