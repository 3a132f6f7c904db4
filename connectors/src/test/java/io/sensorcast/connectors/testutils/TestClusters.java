package io.sensorcast.connectors.testutils;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink MiniCluster the ITCases run their jobs on: one TaskManager, registered once per class
 * with {@code @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);}.
 */
public final class TestClusters {

    private TestClusters() {}

    /** One TaskManager with this many slots and Flink's default configuration. */
    public static MiniClusterExtension flink(int slots) {
        return flink(slots, new Configuration());
    }

    /** One TaskManager with this many slots and this configuration (metric reporters, say). */
    public static MiniClusterExtension flink(int slots, Configuration configuration) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(configuration)
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(slots)
                        .build());
    }
}
