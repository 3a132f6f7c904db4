package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import io.sensorcast.pipeline.testutils.BoundedJob;
import io.sensorcast.pipeline.testutils.CollectingSink;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ForecastJob makes the same forecasts whichever engine serves its model: on a real NAB series,
 * every forecast of the ONNX Runtime run is within 1e-5 (relative) of the libtorch run's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServingEngineITCase {

    private static final String SENSOR = "ec2_request_latency_system_failure";
    private static final int WINDOW = 24;
    private static final int READINGS = 400;

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    @TempDir Path work;

    @Test
    void forecastsAreTheSameOnOnnxRuntimeAndOnLibtorch() throws Exception {
        Path csv = TestModels.nab("realKnownCause", SENSOR);
        Path trained = work.resolve("trained");
        TestModels.trainOneStep(csv, WINDOW, new TimeSplit(600, 800, 1000), 1, trained);
        TestModels.copyDirectory(trained, work.resolve("models").resolve(SENSOR).resolve("1"));
        List<SensorReading> readings = CsvReadings.read(csv, SENSOR).subList(0, READINGS);

        Map<String, Double> onnx = forecasts(readings, ServingEngine.ONNXRUNTIME);
        Map<String, Double> torch = forecasts(readings, ServingEngine.PYTORCH);

        assertThat(onnx).hasSize(READINGS - WINDOW + 1).containsOnlyKeys(torch.keySet());
        onnx.forEach(
                (origin, value) ->
                        assertThat(value)
                                .as(origin)
                                .isCloseTo(
                                        torch.get(origin),
                                        within(1e-5 * Math.max(1, Math.abs(torch.get(origin))))));
    }

    /** The model's one-step forecasts by origin time; every one must come from the model. */
    private Map<String, Double> forecasts(List<SensorReading> readings, ServingEngine engine)
            throws Exception {
        Configuration config = new Configuration();
        config.set(ForecastOptions.HISTORY, WINDOW);
        config.set(ForecastOptions.MIN_WINDOW, WINDOW); // complete windows only
        config.set(ModelStoreOptions.ROOT, work.resolve("models").toString());
        config.set(ForecastOptions.SERVING_ENGINE, engine);
        BoundedJob job = BoundedJob.of(readings, config, 2);
        CollectingSink<ForecastRecord> sink =
                job.collect(job.outputs().forecasts(), "engine-" + engine);
        job.run("serving-engine-" + engine);
        Map<String, Double> byOrigin = new TreeMap<>();
        for (ForecastRecord f : sink.results()) {
            assertThat(f.modelVersion()).as("served by the model").isEqualTo(1);
            byOrigin.put(f.originTs(), f.steps().get(0).predicted().get("value"));
        }
        return byOrigin;
    }
}
