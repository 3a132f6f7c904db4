package io.sensorcast.pipeline.operators;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.api.common.functions.util.FunctionUtils;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.graph.StreamConfig;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.StreamTask;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.OutputTag;

/**
 * Gathers elements of its first input from every key this parallel instance sees and hands them to
 * a {@link BatchFunction} in one call, when {@code maxBatch} have arrived, when a watermark
 * arrives, or {@code maxDelayMillis} after the first of them, whichever comes first. The second
 * input carries control messages for the function (connect a broadcast stream so every instance
 * sees them all).
 *
 * <p>{@link #keyed} puts a {@link KeyedProcessFunction} in front of the batch, in the same
 * operator: the first input (a keyed stream) goes through it, with its keyed state, event-time
 * timers and side outputs, and what it emits is batched. A watermark fires its timers first, so
 * what they release is forecast in the batch the watermark closes. This is what a chain of the two
 * would do, without serializing every element between them: Flink chains no operator with two
 * inputs to the one before it. A side output of the keyed function may join the main output instead
 * ({@link #joining}).
 *
 * <p>Nothing buffered is ever in a checkpoint: the buffer is flushed in {@link
 * #prepareSnapshotPreBarrier} (before the barrier goes downstream) and at the end of input, so
 * exactly-once holds without buffering state; the keyed function's state and timers and the batch
 * function's operator state (when it is a {@link CheckpointedFunction}) are checkpointed. Metrics
 * in group {@code sensorcast}: {@code batchSize} and {@code batchMillis} histograms, {@code
 * batches}.
 *
 * @param <R> the first input's elements: the batched elements themselves, or the keyed function's
 *     input
 * @param <IN> the batched elements
 * @param <C> the control messages
 * @param <OUT> the results
 */
public final class MicroBatchOperator<R, IN, C, OUT> extends AbstractStreamOperator<OUT>
        implements TwoInputStreamOperator<R, C, OUT>, BoundedMultiInput, ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    /** How often {@link BatchFunction#tick()} runs. */
    public static final long TICK_MILLIS = 100;

    /** Before the batch; null: the first input's elements are batched as they are. */
    private final KeyedProcessFunction<?, R, IN> keyed;

    private final BatchFunction<IN, C, OUT> function;
    private final int maxBatch;
    private final long maxDelayMillis;

    /** A side output of the keyed function that joins the main output; null: none does. */
    private OutputTag<?> joining;

    private Joined<?, OUT> joined;

    private transient List<IN> buffer;
    private transient long flushTimer;
    private transient Keyed<?> front;
    private transient Histogram batchSize;
    private transient Histogram batchMillis;
    private transient Counter batches;

    private MicroBatchOperator(
            KeyedProcessFunction<?, R, IN> keyed,
            BatchFunction<IN, C, OUT> function,
            int maxBatch,
            long maxDelayMillis) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + maxBatch);
        }
        if (maxDelayMillis < 1) {
            throw new IllegalArgumentException(
                    "batch delay must be >= 1 ms, got " + maxDelayMillis);
        }
        this.keyed = keyed;
        this.function = function;
        this.maxBatch = maxBatch;
        this.maxDelayMillis = maxDelayMillis;
    }

    /**
     * Batches the first input's elements as they are.
     *
     * @param maxBatch elements per call, at least 1
     * @param maxDelayMillis the longest an element waits for a batch to fill, at least 1 ms
     */
    public static <IN, C, OUT> MicroBatchOperator<IN, IN, C, OUT> of(
            BatchFunction<IN, C, OUT> function, int maxBatch, long maxDelayMillis) {
        return new MicroBatchOperator<>(null, function, maxBatch, maxDelayMillis);
    }

    /**
     * Runs {@code keyed} on the first input, which must be a keyed stream, and batches what it
     * emits; see {@link #of} for the batch's bounds.
     */
    public static <K, R, IN, C, OUT> MicroBatchOperator<R, IN, C, OUT> keyed(
            KeyedProcessFunction<K, R, IN> keyed,
            BatchFunction<IN, C, OUT> function,
            int maxBatch,
            long maxDelayMillis) {
        return new MicroBatchOperator<>(keyed, function, maxBatch, maxDelayMillis);
    }

    /** Turns an element of a side output into a result. */
    @FunctionalInterface
    public interface Joined<X, OUT> extends Serializable {
        OUT apply(X element);
    }

    /**
     * Sends what the keyed function emits to side output {@code tag} to the main output instead, as
     * {@code as} turns it into a result, at once (it waits for no batch). One stream of results
     * then carries everything on to one consumer chained behind, which a side output of its own
     * could reach only as a second input, and Flink chains no operator with two.
     *
     * @return this operator
     */
    public <X> MicroBatchOperator<R, IN, C, OUT> joining(OutputTag<X> tag, Joined<X, OUT> as) {
        if (keyed == null) {
            throw new IllegalStateException("only a keyed function has side outputs to join");
        }
        this.joining = Objects.requireNonNull(tag, "tag");
        this.joined = Objects.requireNonNull(as, "as");
        return this;
    }

    @Override
    public void setup(
            StreamTask<?, ?> containingTask,
            StreamConfig config,
            Output<StreamRecord<OUT>> output) {
        super.setup(containingTask, config, output);
        if (keyed != null) {
            FunctionUtils.setFunctionRuntimeContext(keyed, getRuntimeContext());
        }
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        if (function instanceof CheckpointedFunction f) {
            f.initializeState(context);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (function instanceof CheckpointedFunction f) {
            f.snapshotState(context);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>(maxBatch);
        flushTimer = -1;
        var metrics = getMetricGroup().addGroup("sensorcast");
        batchSize = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        batchMillis = metrics.histogram("batchMillis", new DescriptiveStatisticsHistogram(1000));
        batches = metrics.counter("batches");
        if (keyed != null) {
            front = new Keyed<>(keyed);
            FunctionUtils.openFunction(keyed, DefaultOpenContext.INSTANCE);
        }
        function.open(metrics);
        scheduleTick();
    }

    private void scheduleTick() {
        long due = getProcessingTimeService().getCurrentProcessingTime() + TICK_MILLIS;
        getProcessingTimeService()
                .registerTimer(
                        due,
                        t -> {
                            function.tick();
                            scheduleTick();
                        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processElement1(StreamRecord<R> element) throws Exception {
        if (front == null) {
            add((IN) element.getValue());
        } else {
            front.process(element);
        }
    }

    private void add(IN element) throws Exception {
        buffer.add(element);
        if (buffer.size() >= maxBatch) {
            flush();
        } else if (flushTimer < 0) {
            flushTimer = getProcessingTimeService().getCurrentProcessingTime() + maxDelayMillis;
            getProcessingTimeService().registerTimer(flushTimer, this);
        }
    }

    @Override
    public void processElement2(StreamRecord<C> element) throws Exception {
        function.control(element.getValue());
    }

    /**
     * A watermark fires the keyed function's timers, then closes the batch: the elements buffered
     * before it go out, then the watermark (it must not overtake them, they would be late
     * downstream). With {@link SequenceWindowFunction} in front, a batch is what one watermark
     * released and nothing waits for the batch delay, which bounds the wait only where watermarks
     * move seldom or not at all.
     */
    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        if (timeServiceManager != null) {
            timeServiceManager.advanceWatermark(mark);
        }
        flush();
        output.emitWatermark(mark);
    }

    /** Control messages carry no event time: only the first input's watermarks count. */
    @Override
    public void processWatermark2(Watermark mark) {}

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) {
        if (index == 0) {
            output.emitWatermarkStatus(status);
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        // A timer from a batch that already went out by size is stale.
        if (time == flushTimer) {
            flush();
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) {
            flush();
        }
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            function.close();
        } finally {
            try {
                if (keyed != null) {
                    FunctionUtils.closeFunction(keyed);
                }
            } finally {
                super.close();
            }
        }
    }

    private void flush() throws Exception {
        flushTimer = -1;
        if (buffer == null || buffer.isEmpty()) {
            return;
        }
        List<IN> batch = buffer;
        buffer = new ArrayList<>(maxBatch);
        long start = System.nanoTime();
        List<OUT> results = function.apply(batch);
        batchMillis.update((System.nanoTime() - start) / 1_000_000);
        batchSize.update(batch.size());
        batches.inc();
        for (OUT r : results) {
            output.collect(new StreamRecord<>(r));
        }
    }

    /**
     * The keyed function's side of the operator: its timer service, the contexts it is called with,
     * and a collector that adds what it emits to the batch, as Flink's {@code KeyedProcessOperator}
     * hosts one.
     */
    private final class Keyed<K> implements Triggerable<K, VoidNamespace>, Collector<IN> {
        private final KeyedProcessFunction<K, R, IN> function;
        private final TimerService timers;
        private final KeyedProcessFunction<K, R, IN>.Context context;
        private final KeyedProcessFunction<K, R, IN>.OnTimerContext onTimer;

        /** The element or timer being processed, for the contexts' timestamp and time domain. */
        private StreamRecord<R> element;

        private InternalTimer<K, VoidNamespace> timer;
        private TimeDomain domain;

        @SuppressWarnings("unchecked")
        Keyed(KeyedProcessFunction<?, R, IN> function) {
            this.function = (KeyedProcessFunction<K, R, IN>) function;
            this.timers =
                    new SimpleTimerService(
                            getInternalTimerService(
                                    "user-timers", VoidNamespaceSerializer.INSTANCE, this));
            this.context =
                    this.function.new Context() {
                        @Override
                        public Long timestamp() {
                            return element.hasTimestamp() ? element.getTimestamp() : null;
                        }

                        @Override
                        public TimerService timerService() {
                            return timers;
                        }

                        @Override
                        public <X> void output(OutputTag<X> tag, X value) {
                            side(
                                    tag,
                                    value,
                                    element.hasTimestamp() ? element.getTimestamp() : null);
                        }

                        @Override
                        public K getCurrentKey() {
                            return currentKey();
                        }
                    };
            this.onTimer =
                    this.function.new OnTimerContext() {
                        @Override
                        public Long timestamp() {
                            return timer.getTimestamp();
                        }

                        @Override
                        public TimerService timerService() {
                            return timers;
                        }

                        @Override
                        public <X> void output(OutputTag<X> tag, X value) {
                            side(tag, value, timer.getTimestamp());
                        }

                        @Override
                        public TimeDomain timeDomain() {
                            return domain;
                        }

                        @Override
                        public K getCurrentKey() {
                            return timer.getKey();
                        }
                    };
        }

        @SuppressWarnings("unchecked")
        private K currentKey() {
            return (K) MicroBatchOperator.this.getCurrentKey();
        }

        private <X> void side(OutputTag<X> tag, X value, Long timestamp) {
            if (tag == null) {
                throw new IllegalArgumentException("OutputTag must not be null.");
            }
            if (tag.equals(joining)) {
                @SuppressWarnings("unchecked")
                OUT r = ((Joined<X, OUT>) joined).apply(value);
                output.collect(
                        timestamp == null
                                ? new StreamRecord<>(r)
                                : new StreamRecord<>(r, timestamp));
                return;
            }
            output.collect(
                    tag,
                    timestamp == null
                            ? new StreamRecord<>(value)
                            : new StreamRecord<>(value, timestamp));
        }

        void process(StreamRecord<R> record) throws Exception {
            element = record;
            try {
                function.processElement(record.getValue(), context, this);
            } finally {
                element = null;
            }
        }

        @Override
        public void onEventTime(InternalTimer<K, VoidNamespace> t) throws Exception {
            fire(t, TimeDomain.EVENT_TIME);
        }

        @Override
        public void onProcessingTime(InternalTimer<K, VoidNamespace> t) throws Exception {
            fire(t, TimeDomain.PROCESSING_TIME);
        }

        private void fire(InternalTimer<K, VoidNamespace> t, TimeDomain timeDomain)
                throws Exception {
            timer = t;
            domain = timeDomain;
            try {
                function.onTimer(t.getTimestamp(), onTimer, this);
            } finally {
                timer = null;
                domain = null;
            }
        }

        @Override
        public void collect(IN record) {
            try {
                add(record);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new FlinkRuntimeException(e); // a batch that a full buffer started failed
            }
        }

        @Override
        public void close() {}
    }
}
