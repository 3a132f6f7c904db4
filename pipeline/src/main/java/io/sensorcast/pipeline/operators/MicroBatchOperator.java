package io.sensorcast.pipeline.operators;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Gathers elements of its first input from every key this parallel instance sees and hands them to
 * a {@link BatchFunction} in one call, when {@code maxBatch} have arrived, when a watermark
 * arrives, or {@code maxDelayMillis} after the first of them, whichever comes first. The second
 * input carries control messages for the function (connect a broadcast stream so every instance
 * sees them all).
 *
 * <p>Nothing buffered is ever in a checkpoint: the buffer is flushed in {@link
 * #prepareSnapshotPreBarrier} (before the barrier goes downstream) and at the end of input, so
 * exactly-once holds without buffering state; the function's own operator state is checkpointed
 * when it is a {@link CheckpointedFunction}. Metrics in group {@code sensorcast}: {@code batchSize}
 * and {@code batchMillis} histograms, {@code batches}.
 */
public final class MicroBatchOperator<IN, C, OUT> extends AbstractStreamOperator<OUT>
        implements TwoInputStreamOperator<IN, C, OUT>, BoundedMultiInput, ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    /** How often {@link BatchFunction#tick()} runs. */
    public static final long TICK_MILLIS = 100;

    private final BatchFunction<IN, C, OUT> function;
    private final int maxBatch;
    private final long maxDelayMillis;

    private transient List<IN> buffer;
    private transient long flushTimer;
    private transient Histogram batchSize;
    private transient Histogram batchMillis;
    private transient Counter batches;

    /**
     * @param maxBatch elements per call, at least 1
     * @param maxDelayMillis the longest an element waits for a batch to fill, at least 1 ms
     */
    public MicroBatchOperator(
            BatchFunction<IN, C, OUT> function, int maxBatch, long maxDelayMillis) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + maxBatch);
        }
        if (maxDelayMillis < 1) {
            throw new IllegalArgumentException(
                    "batch delay must be >= 1 ms, got " + maxDelayMillis);
        }
        this.function = function;
        this.maxBatch = maxBatch;
        this.maxDelayMillis = maxDelayMillis;
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
    public void processElement1(StreamRecord<IN> element) throws Exception {
        buffer.add(element.getValue());
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
     * A watermark closes the batch: the elements buffered before it go out, then the watermark (it
     * must not overtake them, they would be late downstream). Upstream, the sequence operator emits
     * the windows a watermark releases just before that watermark, so a batch is what one watermark
     * released and nothing waits for the batch delay, which bounds the wait only where watermarks
     * move seldom or not at all.
     */
    @Override
    public void processWatermark1(Watermark mark) throws Exception {
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
            super.close();
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
}
