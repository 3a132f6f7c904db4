package io.sensorcast.cli.options;

import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.job.ForecastOptions;
import picocli.CommandLine.Option;

/** {@code --serving-engine}, for the commands that serve models; its default is the job's. */
public final class ServingEngineOption {

    @Option(
            names = "--serving-engine",
            description = "auto, onnxruntime or pytorch (sensorcast.models.serving-engine).")
    public ServingEngine engine = ForecastOptions.SERVING_ENGINE.defaultValue();
}
