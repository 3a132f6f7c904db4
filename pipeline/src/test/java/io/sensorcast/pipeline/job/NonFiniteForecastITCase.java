package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Parameter;
import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import io.sensorcast.pipeline.testutils.BoundedJob;
import io.sensorcast.pipeline.testutils.CollectingSink;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that verifies but forecasts NaN (its weights are NaN) never reaches the outputs: every
 * window gets the persistence forecast instead, and every score stays finite — one NaN would
 * otherwise poison the sensor's error history, and NaN is not JSON.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NonFiniteForecastITCase {

    private static final String SENSOR = "ec2_request_latency_system_failure";
    private static final int WINDOW = 24;

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    @TempDir Path work;

    @Test
    void aModelForecastingNanIsReplacedByPersistenceAndScoresStayFinite() throws Exception {
        Path csv = TestModels.nab("realKnownCause", SENSOR);
        Path trained = work.resolve("trained");
        TestModels.trainOneStep(csv, WINDOW, new TimeSplit(600, 800, 1000), 1, trained);
        Path models = work.resolve("models");
        try (ForecastModel model = ModelArtifact.load(trained)) {
            for (Parameter p : model.block().getParameters().values()) {
                float[] nan = new float[Math.toIntExact(p.getArray().size())];
                Arrays.fill(nan, Float.NaN);
                p.getArray().set(nan);
            }
            ModelArtifact.save(
                    models.resolve(SENSOR).resolve("1"), model.block(), model.manifest());
        }
        List<SensorReading> readings = CsvReadings.read(csv, SENSOR).subList(0, 400);

        Configuration config = new Configuration();
        config.set(ForecastOptions.HISTORY, WINDOW);
        config.set(ForecastOptions.MIN_WINDOW, WINDOW); // complete windows only
        config.set(ModelStoreOptions.ROOT, models.toString());
        BoundedJob job = BoundedJob.of(readings, config, 2);
        CollectingSink<ForecastRecord> forecasts =
                job.collect(job.outputs().forecasts(), "nan-forecasts");
        CollectingSink<ScoreRecord> scores = job.collect(job.outputs().scores(), "nan-scores");
        job.run("non-finite-forecast-it");

        assertThat(forecasts.results()).hasSize(400 - WINDOW + 1);
        assertThat(forecasts.results())
                .allSatisfy(
                        f -> {
                            assertThat(f.modelVersion()).isZero();
                            assertThat(f.steps().get(0).predicted().get("value")).isFinite();
                        });
        assertThat(scores.results())
                .isNotEmpty()
                .allSatisfy(
                        s -> {
                            assertThat(s.predicted()).isFinite();
                            assertThat(s.score()).isFinite();
                        });
    }
}
