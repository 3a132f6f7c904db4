package io.sensorcast.pipeline.job;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.ParsedRecord;
import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.kafka.KafkaTopics;
import io.sensorcast.connectors.serde.DeadLetterRouter;
import io.sensorcast.connectors.sink.KafkaSinks;
import io.sensorcast.connectors.source.ReadingSources;
import io.sensorcast.pipeline.operators.MicroBatchOperator;
import io.sensorcast.pipeline.operators.SensorWindow;
import io.sensorcast.pipeline.operators.SequenceWindowFunction;
import io.sensorcast.pipeline.operators.WindowForecast;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The forecasting dataflow, wired from readings to forecasts, scores and anomalies. It receives its
 * input and returns its outputs, so production wires Kafka to it and tests wire bounded sources and
 * collecting sinks.
 *
 * <pre>
 * readings → watermarks → keyBy sensor
 *          → MicroBatchOperator(SequenceWindowFunction (late readings join the output)
 *                               → ModelForecastFunction)
 *                ◄── broadcast model updates
 *          → ForecastScorer (chained, the same keys): forecasts, scores, anomalies, late readings
 *          → a sink per delivery guarantee (chained), each record to its topic
 * </pre>
 */
public final class ForecastJob {

    /**
     * What the job produces: one stream of everything it publishes, which goes to Kafka through one
     * sink ({@link #toKafka}), and views of it by topic, for other sinks (tests). Each view adds an
     * operator to the graph, chained to the scorer.
     */
    public record Outputs(DataStream<Published> published) {

        public DataStream<ForecastRecord> forecasts() {
            return view(Published.Topic.FORECASTS, Published::forecast, ForecastRecord.class);
        }

        public DataStream<ScoreRecord> scores() {
            return view(Published.Topic.SCORES, Published::score, ScoreRecord.class);
        }

        public DataStream<ScoreRecord> anomalies() {
            return view(Published.Topic.ANOMALIES, Published::score, ScoreRecord.class);
        }

        public DataStream<SensorReading> late() {
            return view(Published.Topic.LATE, Published::reading, SensorReading.class);
        }

        private <T> DataStream<T> view(
                Published.Topic topic, MapFunction<Published, T> value, Class<T> type) {
            String name = topic.name().toLowerCase(Locale.ROOT);
            return published
                    .filter(p -> p.topic() == topic)
                    .name(name)
                    .map(value)
                    .returns(TypeInformation.of(type))
                    .name(name);
        }
    }

    private ForecastJob() {}

    /**
     * The job's network buffer timeout unless {@code execution.buffer-timeout.interval} is set: a
     * buffer not yet full is sent this long after its first record.
     */
    public static final Duration BUFFER_TIMEOUT = Duration.ofMillis(5);

    /**
     * The job's max parallelism unless {@code pipeline.max-parallelism} is set: fixed when a job
     * first starts and kept by its savepoints, it bounds every later rescale. What Flink derives
     * for up to 85 subtasks, so savepoints of jobs that left it to Flink restore unchanged.
     */
    public static final int MAX_PARALLELISM = 128;

    /** The topics ForecastJob reads and writes. */
    public static final List<ConfigOption<String>> TOPICS =
            List.of(
                    KafkaOptions.READINGS_TOPIC,
                    KafkaOptions.MODEL_UPDATES_TOPIC,
                    KafkaOptions.FORECASTS_TOPIC,
                    KafkaOptions.SCORES_TOPIC,
                    KafkaOptions.ANOMALIES_TOPIC,
                    KafkaOptions.LATE_TOPIC,
                    KafkaOptions.DEAD_LETTER_TOPIC);

    /**
     * Runs the job against Kafka with the cluster's configuration and {@code --key value} arguments
     * over it (e.g. {@code --sensorcast.kafka.bootstrap-servers kafka:9092}); see {@link
     * JobConfiguration}.
     */
    public static void main(String[] args) throws Exception {
        Configuration config =
                JobConfiguration.of(
                        StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration(),
                        args);
        KafkaTopics.requireExisting(config, TOPICS);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        if (env.getCheckpointConfig().getCheckpointInterval() <= 0) {
            env.enableCheckpointing(10_000); // transactional sinks commit on checkpoints
        }
        fromKafka(env, config, false);
        env.execute("sensorcast-forecast");
    }

    /** {@code --key value} pairs as a configuration; see {@link JobConfiguration#parseArgs}. */
    public static Configuration parseArgs(String[] args) {
        return JobConfiguration.parseArgs(args);
    }

    /**
     * Wires the job between Kafka topics: readings in (bad records to the dead-letter topic),
     * forecasts, scores, anomalies and late readings out, each with its delivery guarantee ({@link
     * #toKafka}). {@code bounded} stops at the offsets latest at start (tests, backfills).
     */
    public static Outputs fromKafka(
            StreamExecutionEnvironment env, Configuration config, boolean bounded)
            throws Exception {
        KafkaOptions.validate(config);
        ForecastSettings settings = ForecastSettings.of(config);
        return toKafka(
                build(
                        readingsFromKafka(env, config, settings, bounded),
                        modelUpdates(env, config, bounded),
                        settings),
                config);
    }

    /**
     * The readings topic, parsed; bad records go to the dead-letter topic (through an exactly-once
     * sink) and never reach the returned stream.
     */
    public static DataStream<SensorReading> readingsFromKafka(
            StreamExecutionEnvironment env,
            Configuration config,
            ForecastSettings settings,
            boolean bounded) {
        SingleOutputStreamOperator<SensorReading> readings =
                env.fromSource(
                                bounded
                                        ? ReadingSources.boundedReadings(config)
                                        : ReadingSources.readings(config),
                                ForecastJob.<ParsedRecord>eventTime(
                                        settings,
                                        (p, ts) ->
                                                p.isValid() ? p.reading.timestamp : Long.MIN_VALUE),
                                "kafka-readings")
                        .uid("kafka-readings")
                        .process(new DeadLetterRouter())
                        .name("route-dead-letters")
                        .uid("route-dead-letters");
        readings.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .sinkTo(KafkaSinks.deadLetters(config))
                .name("dead-letter-sink")
                .uid("dead-letter-sink");
        return readings;
    }

    /**
     * The model-updates topic from its beginning, one reader: every forecasting subtask receives
     * every update (the stream is broadcast in {@link #build}). The topic is created when missing,
     * so a job may start before any model was published.
     */
    public static DataStream<String> modelUpdates(
            StreamExecutionEnvironment env, Configuration config, boolean bounded)
            throws Exception {
        KafkaTopics.ensureModelUpdates(config);
        return env.fromSource(
                        ReadingSources.modelUpdates(config, bounded),
                        WatermarkStrategy.noWatermarks(),
                        "kafka-model-updates")
                .uid("kafka-model-updates")
                .setParallelism(1);
    }

    /** No model updates: the models in the store at start are served (tests, backfills). */
    public static DataStream<String> noModelUpdates(StreamExecutionEnvironment env) {
        // a bounded source needs one element; none passes the filter
        return env.fromData("")
                .name("no-model-updates")
                .filter(s -> !s.isEmpty())
                .name("no-model-updates");
    }

    /**
     * Writes the job's outputs to their topics, chained to the scorer: one sink per delivery
     * guarantee ({@link KafkaSinks#outputsByGuarantee}; by default forecasts, scores and late
     * readings exactly-once, in one transaction per checkpoint for the three topics, and anomalies
     * at-least-once, readable when written). The sink that writes the forecasts keeps the uid
     * {@code output-sink} of the single sink before outputs had guarantees of their own, so a
     * savepoint of that job restores into this one.
     */
    public static Outputs toKafka(Outputs out, Configuration config) {
        boolean first = true;
        for (Map.Entry<DeliveryGuarantee, Set<Published.Topic>> e :
                KafkaSinks.outputsByGuarantee(config).entrySet()) {
            Set<Published.Topic> topics = e.getValue();
            String suffix =
                    first ? "" : "-" + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', '-');
            DataStream<Published> records = out.published();
            if (topics.size() < Published.Topic.values().length) {
                records = records.filter(p -> topics.contains(p.topic())).name("outputs" + suffix);
            }
            records.sinkTo(KafkaSinks.published(config, "outputs" + suffix, e.getKey()))
                    .name("output-sink" + suffix)
                    .uid("output-sink" + suffix);
            first = false;
        }
        return out;
    }

    /**
     * Event time of readings: bounded out-of-orderness, idle splits stop holding the watermark
     * back. Applied in the Kafka source, so each partition has its own watermark (partitions read
     * at different paces must not make each other's readings late).
     *
     * <p>The watermark never runs ahead of the wall clock: a reading stamped in the future (a
     * device whose clock runs ahead, accepted up to {@code sensorcast.readings.max-future}) counts
     * for the watermark as if it were stamped now. Otherwise one such reading would move its
     * partition's watermark hours ahead and make every other sensor of the partition late; this way
     * it waits in its sensor's state until its time comes.
     */
    static <T> WatermarkStrategy<T> eventTime(
            ForecastSettings settings, SerializableTimestampAssigner<T> timestamp) {
        SerializableTimestampAssigner<T> notAheadOfNow =
                (element, recordTimestamp) ->
                        Math.min(
                                timestamp.extractTimestamp(element, recordTimestamp),
                                System.currentTimeMillis());
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(settings.outOfOrderness())
                .withTimestampAssigner(notAheadOfNow)
                .withIdleness(settings.sourceIdleness());
    }

    /**
     * {@code readings} with event-time timestamps and watermarks, assigned at the stream's own
     * parallelism (for sources other than Kafka, e.g. in tests).
     */
    public static DataStream<SensorReading> withEventTime(
            DataStream<SensorReading> readings, ForecastSettings settings) {
        return readings.assignTimestampsAndWatermarks(
                        ForecastJob.<SensorReading>eventTime(settings, (r, ts) -> r.timestamp))
                .setParallelism(readings.getParallelism())
                .name("event-time");
    }

    /**
     * Builds the dataflow on {@code readings}, following {@code modelUpdates} (JSON {@code
     * ModelUpdate}s). The readings must carry event-time timestamps and watermarks ({@link
     * #readingsFromKafka}, {@link #withEventTime}).
     */
    public static Outputs build(
            DataStream<SensorReading> readings,
            DataStream<String> modelUpdates,
            ForecastSettings settings) {
        // No operator of the job changes a record after emitting it, or one it received: chained
        // operators may share records instead of copying them (a copy of every forecast for the
        // scorer and another for the forecasts' sink was a sixth of the forecasting thread).
        StreamExecutionEnvironment env = readings.getExecutionEnvironment();
        env.getConfig().enableObjectReuse();
        JobConfiguration.withoutKryo(env);
        if (env.getConfiguration().getOptional(PipelineOptions.MAX_PARALLELISM).isEmpty()) {
            // the key groups a savepoint's keyed state is cut into: the most subtasks the job can
            // ever be rescaled to from it (docs/cluster.md, "Rescaling")
            env.setMaxParallelism(MAX_PARALLELISM);
        }
        if (env.getConfiguration().getOptional(ExecutionOptions.BUFFER_TIMEOUT).isEmpty()) {
            // A reading crosses one network channel, to its sensor's subtask; Flink's default
            // flushes a channel's buffer every 100 ms when it does not fill, most of what a live
            // reading waited for before its forecast (docs/performance.md, "Live latency").
            env.setBufferTimeout(BUFFER_TIMEOUT.toMillis());
        }
        // The sequence function runs inside the forecasting operator, not as an operator of its
        // own: Flink chains no two-input operator to the one before it, so every window crossed a
        // network channel, serialized and deserialized, on its way to the batch.
        MicroBatchOperator<SensorReading, SensorWindow, String, WindowForecast> forecasting =
                MicroBatchOperator.keyed(
                                settings.sequenceFunction(),
                                settings.forecastFunction(),
                                settings.batchSize(),
                                settings.batchDelay().toMillis())
                        .joining(SequenceWindowFunction.LATE, WindowForecast::late);
        SingleOutputStreamOperator<WindowForecast> made =
                readings.keyBy(r -> r.sensor)
                        .connect(modelUpdates.broadcast())
                        .transform(
                                "sequence-forecast",
                                TypeInformation.of(WindowForecast.class),
                                forecasting)
                        // the sequences' keyed state and timers are restored from the uid of the
                        // sequence operator this one replaced; the models served (operator state)
                        // start afresh, see docs/cluster.md, "Upgrading from a savepoint"
                        .uid("sensor-sequences");
        // The forecasting operator's input is keyed by sensor, so its output is still
        // partitioned by sensor: the scorer keeps keyed state without another shuffle and is
        // chained to it. It emits everything the job publishes, the forecasts and the late
        // readings passed through it, so one sink chained behind it writes them all.
        SingleOutputStreamOperator<Published> published =
                DataStreamUtils.reinterpretAsKeyedStream(made, WindowForecast::sensor, Types.STRING)
                        .process(settings.scorer())
                        .returns(TypeInformation.of(Published.class))
                        .name("score")
                        .uid("sensor-scores");
        return new Outputs(published);
    }
}
