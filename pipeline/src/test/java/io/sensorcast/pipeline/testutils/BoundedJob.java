package io.sensorcast.pipeline.testutils;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.pipeline.job.ForecastJob;
import io.sensorcast.pipeline.job.ForecastSettings;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * ForecastJob over a list of readings in the test's MiniCluster: one ordered source, as one Kafka
 * partition would be, no model updates, and no restarts, so that a failure fails the test instead
 * of looping until its timeout.
 */
public final class BoundedJob {

    private final StreamExecutionEnvironment env;
    private final ForecastJob.Outputs outputs;

    private BoundedJob(StreamExecutionEnvironment env, ForecastJob.Outputs outputs) {
        this.env = env;
        this.outputs = outputs;
    }

    /** The job over {@code readings} with the job options in {@code config}. */
    public static BoundedJob of(
            List<SensorReading> readings, Configuration config, int parallelism) {
        Configuration flink = new Configuration();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(parallelism);
        ForecastSettings settings = ForecastSettings.of(config);
        ForecastJob.Outputs outputs =
                ForecastJob.build(
                        ForecastJob.withEventTime(
                                env.fromData(readings).setParallelism(1), settings),
                        ForecastJob.noModelUpdates(env),
                        settings);
        return new BoundedJob(env, outputs);
    }

    public ForecastJob.Outputs outputs() {
        return outputs;
    }

    /** A sink for {@code stream} named {@code name}, in one subtask: its order is arrival order. */
    public <T> CollectingSink<T> collect(DataStream<T> stream, String name) {
        CollectingSink<T> sink = new CollectingSink<>(name);
        stream.sinkTo(sink).setParallelism(1);
        return sink;
    }

    /** Runs the job to the end of its readings. */
    public void run(String name) throws Exception {
        env.execute(name);
    }
}
