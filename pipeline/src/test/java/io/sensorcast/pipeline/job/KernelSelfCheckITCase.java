package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.model.engine.DjlRuntime;
import io.sensorcast.model.engine.KernelCheckException;
import io.sensorcast.pipeline.retrain.BiLstmTrainer;
import io.sensorcast.pipeline.retrain.GroupRetrainFunction;
import io.sensorcast.pipeline.retrain.RetrainSettings;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import io.sensorcast.pipeline.testutils.BoundedJob;
import io.sensorcast.pipeline.testutils.CollectingSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * When libtorch's recurrent op fails its known-answer check, the jobs do not start: ForecastJob
 * fails before its first forecast and the retraining operator before its first round, both naming
 * the check. A perturbed op output stands in for a wrong kernel ({@link DjlRuntime#selfCheck}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KernelSelfCheckITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    @TempDir Path models;

    @AfterEach
    void restoreTheRealVerdict() {
        assertThat(DjlRuntime.selfCheck(0).passed()).isTrue();
    }

    @Test
    void aForecastJobWhoseSelfCheckFailsDoesNotStart() throws Exception {
        Configuration config = new Configuration();
        config.set(ForecastOptions.HISTORY, 4);
        config.set(ModelStoreOptions.ROOT, models.toString());
        List<SensorReading> readings = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            readings.add(SensorReading.of("s", 1_000_000L + i * 60_000L, Math.sin(i)));
        }
        BoundedJob job = BoundedJob.of(readings, config, 2);
        CollectingSink<ForecastRecord> forecasts =
                job.collect(job.outputs().forecasts(), "self-check-forecasts");

        assertThat(DjlRuntime.selfCheck(0.05).passed()).isFalse();
        assertThatThrownBy(() -> job.run("self-check-it"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowable(
                                                        e, KernelCheckException.class))
                                        .isPresent());
        assertThat(forecasts.results()).isEmpty();
    }

    @Test
    void aRetrainingOperatorWhoseSelfCheckFailsDoesNotOpen() throws Exception {
        Configuration config = new Configuration();
        config.set(ModelStoreOptions.ROOT, models.toString());
        assertThat(DjlRuntime.selfCheck(0.05).passed()).isFalse();
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new GroupRetrainFunction(
                                        RetrainSettings.from(config), config, new BiLstmTrainer())),
                        (SensorReading r) -> r.sensor,
                        Types.STRING);
        try {
            assertThatThrownBy(harness::open)
                    .isInstanceOf(KernelCheckException.class)
                    .hasMessageContaining("refuses to train or serve");
        } finally {
            harness.close();
        }
    }
}
