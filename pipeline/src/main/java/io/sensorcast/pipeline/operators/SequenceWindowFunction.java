package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.model.dataset.SeasonalChannels;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per sensor, keeps the last {@code window} readings, and before them the readings its {@link
 * SeasonalChannels} reach back to; every reading emits the sensor's newest readings, up to {@code
 * window} of them with their seasonal channels, once it has {@code minWindow}: so a new sensor is
 * forecast (by persistence until a model can read its windows) from its {@code minWindow}-th
 * reading on, not only once its first window is complete. {@code ForecastJob} runs it inside the
 * forecasting operator ({@link MicroBatchOperator#keyed}): its windows go into the model's batch
 * without crossing a network channel.
 *
 * <p>When a reading joins the window is its {@link ReadingOrder}:
 *
 * <ul>
 *   <li>{@link ReadingOrder#ARRIVAL}: at once, when it is newer than the sensor's newest reading.
 *       One at the newest reading's time is a duplicate (ignored and counted), an older one is
 *       late: it goes to {@link #LATE} and is counted. The watermark plays no part but for the idle
 *       timer. A sensor that still has readings waiting from event-time order (a job restored from
 *       a savepoint taken in that order) stays in it until they are released, so its window stays
 *       in order.
 *   <li>{@link ReadingOrder#EVENT_TIME}: a reading waits until the watermark passes its time, then
 *       joins the ring in order, so shuffling within the watermark's out-of-orderness bound changes
 *       nothing. A reading at or behind the watermark is late, one whose timestamp the sensor has
 *       waiting is a duplicate. A sensor's ring, waiting readings and idle deadline are one keyed
 *       value ({@link SensorSequence}), with one timer at its earliest waiting reading and one idle
 *       timer.
 * </ul>
 *
 * <p>State is bounded: the ring holds {@code window} readings plus the channels' lookback (with the
 * defaults, 96 + 2,016 readings and the newest 96 readings' channels: 35 KB for a one-value
 * sensor); pending readings are bounded by the out-of-orderness. A sensor silent for {@code
 * idleTimeoutMillis} of event time loses its state (an event-time timer clears it), so departed
 * sensors cost nothing.
 */
public final class SequenceWindowFunction
        extends KeyedProcessFunction<String, SensorReading, SensorWindow> {

    private static final long serialVersionUID = 1L;

    /** Readings that arrived behind the watermark. */
    public static final OutputTag<SensorReading> LATE =
            new OutputTag<>("late-readings", TypeInformation.of(SensorReading.class));

    private final int window;
    private final int minWindow;
    private final SeasonalChannels channels;
    private final long idleTimeoutMillis;
    private final ReadingOrder order;

    private transient ValueState<SensorSequence> sequence;
    private transient Counter late;
    private transient Counter duplicates;
    private transient Counter schemaChanges;
    private transient Counter windows;

    /** Emits complete windows only, without seasonal channels. */
    public SequenceWindowFunction(int window, long idleTimeoutMillis, ReadingOrder order) {
        this(window, window, SeasonalChannels.NONE, idleTimeoutMillis, order);
    }

    /**
     * @param window readings per window, at least 1
     * @param minWindow readings a sensor needs before its first window, in [1, window]
     * @param channels the windows' seasonal channels; the ring keeps their lookback beside the
     *     window
     * @param idleTimeoutMillis event-time silence after which a sensor's state is dropped, > 0
     * @param order when a reading joins its sensor's window
     */
    public SequenceWindowFunction(
            int window,
            int minWindow,
            SeasonalChannels channels,
            long idleTimeoutMillis,
            ReadingOrder order) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        if (minWindow < 1 || minWindow > window) {
            throw new IllegalArgumentException(
                    "min window must be in [1, " + window + "], got " + minWindow);
        }
        if (idleTimeoutMillis <= 0) {
            throw new IllegalArgumentException(
                    "idle timeout must be > 0 ms, got " + idleTimeoutMillis);
        }
        this.window = window;
        this.minWindow = minWindow;
        this.channels = channels;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.order = java.util.Objects.requireNonNull(order, "order");
    }

    /** Readings kept per sensor: the window and its seasonal channels' lookback. */
    int capacity() {
        return window + (channels.enabled() ? channels.lookback() : 0);
    }

    @Override
    public void open(OpenContext openContext) {
        sequence =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "sequence", TypeInformation.of(SensorSequence.class)));
        bindMetrics(getRuntimeContext().getMetricGroup().addGroup("sensorcast"));
    }

    /**
     * Registers the function's counters ({@code lateReadings}, {@code duplicateReadings}, {@code
     * schemaChanges}, {@code windowsEmitted}) in {@code metrics}: {@link #open} does, and so does a
     * caller that keeps the sequences itself ({@link #arrive}).
     */
    public void bindMetrics(MetricGroup metrics) {
        late = metrics.counter("lateReadings");
        duplicates = metrics.counter("duplicateReadings");
        schemaChanges = metrics.counter("schemaChanges");
        windows = metrics.counter("windowsEmitted");
    }

    @Override
    public void processElement(SensorReading r, Context ctx, Collector<SensorWindow> out)
            throws Exception {
        TimerService timers = ctx.timerService();
        SensorSequence s = sequence.value();
        if (order == ReadingOrder.ARRIVAL && (s == null || s.waiting == 0)) {
            boolean fresh = s == null;
            if (fresh) {
                s = new SensorSequence();
            }
            if (!arrive(s, r, timers.currentProcessingTime(), ctx.getCurrentKey(), out::collect)) {
                if (!s.isNewest(r.timestamp)) {
                    ctx.output(LATE, r);
                }
                return;
            }
            if (fresh) {
                s.idleTimerAt = s.deadline;
                timers.registerEventTimeTimer(s.deadline);
            }
            sequence.update(s);
            return;
        }
        if (r.timestamp <= timers.currentWatermark()) {
            late.inc();
            ctx.output(LATE, r);
            return;
        }
        long deadline = r.timestamp + idleTimeoutMillis;
        if (s == null) {
            s = new SensorSequence();
            s.deadline = deadline;
            s.idleTimerAt = deadline;
            timers.registerEventTimeTimer(deadline);
        } else if (s.isWaiting(r.timestamp)) {
            // Everything already in the ring is at or behind the watermark, so a repeat of it was
            // caught as late above; only a reading still waiting can be repeated here.
            duplicates.inc();
            return;
        } else {
            s.deadline = Math.max(s.deadline, deadline);
        }
        if (s.add(new PendingReading(r, timers.currentProcessingTime()))) {
            timers.registerEventTimeTimer(r.timestamp); // the earliest waiting reading's release
        }
        sequence.update(s);
    }

    /**
     * Takes {@code r} into its sensor's sequence {@code s} in {@link ReadingOrder#ARRIVAL} order,
     * for this function and for a caller that keeps the sequences itself (the SQL function; it
     * calls {@link #bindMetrics} first): false, with {@code s} unchanged and the reading counted,
     * when {@code s} already holds a reading at or after its time (a duplicate when at the newest
     * reading's time, else late); else true, with the sensor's idle deadline moved and its window
     * given to {@code out} once the ring has {@code minWindow} readings. A new sequence's idle
     * timer is the caller's to set, at {@link SensorSequence#deadline}.
     */
    public boolean arrive(
            SensorSequence s,
            SensorReading r,
            long ingestMillis,
            String sensor,
            Consumer<SensorWindow> out) {
        if (s.isBehind(r.timestamp)) {
            (s.isNewest(r.timestamp) ? duplicates : late).inc();
            return false;
        }
        s.deadline = Math.max(s.deadline, r.timestamp + idleTimeoutMillis);
        join(s, r, ingestMillis, sensor, out);
        return true;
    }

    /** {@code r} into the sensor's ring, and its window out once the ring has {@code minWindow}. */
    private void join(
            SensorSequence s,
            SensorReading r,
            long ingestMillis,
            String sensor,
            Consumer<SensorWindow> out) {
        if (s.append(r, capacity())) {
            schemaChanges.inc();
        }
        if (s.ring.size >= minWindow) {
            windows.inc();
            out.accept(s.ring.toWindow(sensor, ingestMillis, window, channels));
        }
    }

    /**
     * Releases every waiting reading the watermark has passed, in event-time order, and sets the
     * next release timer; drops the sensor when its idle timer finds it silent. There is always a
     * timer at the earliest waiting reading's time: set when a reading becomes the earliest.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SensorWindow> out)
            throws Exception {
        SensorSequence s = sequence.value();
        if (s == null) {
            return;
        }
        TimerService timers = ctx.timerService();
        int due = s.due(timers.currentWatermark());
        for (int i = 0; i < due; i++) {
            PendingReading p = s.pending[i];
            join(s, p.reading, p.ingestMillis, ctx.getCurrentKey(), out::collect);
        }
        if (due > 0) {
            s.release(due);
            if (s.waiting > 0) {
                timers.registerEventTimeTimer(s.earliest());
            }
        }
        if (timestamp >= s.idleTimerAt) {
            if (s.deadline <= timestamp) {
                sequence.clear(); // silent for the idle timeout: nothing is waiting either
                return;
            }
            s.idleTimerAt = s.deadline;
            timers.registerEventTimeTimer(s.deadline);
        }
        sequence.update(s);
    }
}
