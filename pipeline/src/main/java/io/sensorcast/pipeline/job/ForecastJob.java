package io.sensorcast.pipeline.job;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.pipeline.operators.GroupMapping;
import io.sensorcast.pipeline.operators.MicroBatchOperator;
import io.sensorcast.pipeline.operators.ModelDirectory;
import io.sensorcast.pipeline.operators.ModelForecastFunction;
import io.sensorcast.pipeline.operators.SensorWindow;
import io.sensorcast.pipeline.operators.SequenceWindowFunction;
import io.sensorcast.pipeline.scoring.ForecastScorer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The forecasting dataflow, wired from readings to forecasts, scores and anomalies. It receives its
 * input and returns its outputs, so production wires Kafka to it and tests wire bounded sources and
 * collecting sinks.
 *
 * <pre>
 * readings → watermarks → keyBy sensor → SequenceWindowFunction (→ late)
 *          → MicroBatchOperator(ModelForecastFunction) → forecasts
 *          → keyBy sensor, connect windows → ForecastScorer → scores (→ anomalies)
 * </pre>
 */
public final class ForecastJob {

    /** What the job produces. */
    public record Outputs(
            DataStream<ForecastRecord> forecasts,
            DataStream<ScoreRecord> scores,
            DataStream<ScoreRecord> anomalies,
            DataStream<SensorReading> late) {}

    private ForecastJob() {}

    /** Builds the dataflow on {@code readings}; the configuration is checked first. */
    public static Outputs build(DataStream<SensorReading> readings, Configuration config) {
        ForecastOptions.validate(config);
        WatermarkStrategy<SensorReading> watermarks =
                WatermarkStrategy.<SensorReading>forBoundedOutOfOrderness(
                                config.get(ForecastOptions.OUT_OF_ORDERNESS))
                        .withTimestampAssigner((r, ts) -> r.timestamp)
                        .withIdleness(config.get(ForecastOptions.SOURCE_IDLENESS));
        SingleOutputStreamOperator<SensorWindow> windows =
                readings.assignTimestampsAndWatermarks(watermarks)
                        .name("event-time")
                        .keyBy(r -> r.sensor)
                        .process(
                                new SequenceWindowFunction(
                                        config.get(ForecastOptions.WINDOW),
                                        config.get(ForecastOptions.SENSOR_IDLE_TIMEOUT).toMillis()))
                        .name("sequence-windows")
                        .uid("sequence-windows");
        ModelForecastFunction model =
                new ModelForecastFunction(
                        new ModelDirectory(config.get(ForecastOptions.MODEL_ROOT)),
                        GroupMapping.parse(
                                ForecastOptions.GROUPS.key(), config.get(ForecastOptions.GROUPS)),
                        config.get(ForecastOptions.INTRA_OP_THREADS));
        SingleOutputStreamOperator<ForecastRecord> forecasts =
                windows.transform(
                                "batched-forecast",
                                TypeInformation.of(ForecastRecord.class),
                                new MicroBatchOperator<>(
                                        model,
                                        config.get(ForecastOptions.BATCH_SIZE),
                                        config.get(ForecastOptions.BATCH_DELAY).toMillis()))
                        .uid("batched-forecast");
        SingleOutputStreamOperator<ScoreRecord> scores =
                forecasts
                        .keyBy(ForecastRecord::sensor)
                        .connect(windows.keyBy(w -> w.sensor))
                        .process(
                                new ForecastScorer(
                                        config.get(ForecastOptions.THRESHOLD),
                                        config.get(ForecastOptions.SCORE_LONG_WINDOW),
                                        config.get(ForecastOptions.SCORE_SHORT_WINDOW),
                                        config.get(ForecastOptions.SCORE_MIN_SAMPLES)))
                        .name("score")
                        .uid("score");
        return new Outputs(
                forecasts,
                scores,
                scores.filter(ScoreRecord::isAnomaly).name("anomalies"),
                windows.getSideOutput(SequenceWindowFunction.LATE));
    }
}
