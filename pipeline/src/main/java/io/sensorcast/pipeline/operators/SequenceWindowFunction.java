package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.SensorReading;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per sensor, puts readings into event-time order and keeps the last {@code window} of them; every
 * reading emits the sensor's newest readings, up to {@code window} of them, once it has {@code
 * minWindow}: so a new sensor is forecast (by persistence until a model can read its windows) from
 * its {@code minWindow}-th reading on, not only once its first window is complete.
 *
 * <ul>
 *   <li>A reading waits (keyed {@code MapState}) until the watermark passes its time, then joins
 *       the ring in order, so shuffling within the watermark's out-of-orderness bound changes
 *       nothing.
 *   <li>A reading at or behind the watermark is late: it goes to {@link #LATE} and is counted.
 *   <li>A reading whose timestamp the sensor already has is a duplicate: ignored and counted.
 *   <li>State is bounded: the ring holds {@code window} readings; pending readings are bounded by
 *       the out-of-orderness. A sensor silent for {@code idleTimeoutMillis} of event time loses its
 *       state (an event-time timer clears it), so departed sensors cost nothing.
 * </ul>
 */
public final class SequenceWindowFunction
        extends KeyedProcessFunction<String, SensorReading, SensorWindow> {

    private static final long serialVersionUID = 1L;

    /** Readings that arrived behind the watermark. */
    public static final OutputTag<SensorReading> LATE =
            new OutputTag<>("late-readings", TypeInformation.of(SensorReading.class));

    private final int window;
    private final int minWindow;
    private final long idleTimeoutMillis;

    private transient MapState<Long, PendingReading> pending;
    private transient ValueState<ReadingRing> ring;
    private transient ValueState<Long> cleanupAt; // the idle timer's time
    private transient ValueState<Long> idleDeadline; // the newest reading's time + idle timeout
    private transient Counter late;
    private transient Counter duplicates;
    private transient Counter schemaChanges;
    private transient Counter windows;

    /** Emits complete windows only. */
    public SequenceWindowFunction(int window, long idleTimeoutMillis) {
        this(window, window, idleTimeoutMillis);
    }

    /**
     * @param window readings per window, at least 1
     * @param minWindow readings a sensor needs before its first window, in [1, window]
     * @param idleTimeoutMillis event-time silence after which a sensor's state is dropped, > 0
     */
    public SequenceWindowFunction(int window, int minWindow, long idleTimeoutMillis) {
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
        this.idleTimeoutMillis = idleTimeoutMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending",
                                        Types.LONG,
                                        TypeInformation.of(PendingReading.class)));
        ring =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "ring", TypeInformation.of(ReadingRing.class)));
        cleanupAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
        idleDeadline =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("idle-deadline", Types.LONG));
        var metrics = getRuntimeContext().getMetricGroup().addGroup("sensorcast");
        late = metrics.counter("lateReadings");
        duplicates = metrics.counter("duplicateReadings");
        schemaChanges = metrics.counter("schemaChanges");
        windows = metrics.counter("windowsEmitted");
    }

    @Override
    public void processElement(SensorReading r, Context ctx, Collector<SensorWindow> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (r.timestamp <= watermark) {
            late.inc();
            ctx.output(LATE, r);
            return;
        }
        // Everything already in the ring is at or behind the watermark, so a repeat of it was
        // caught as late above; only a reading still waiting can be repeated here.
        if (pending.contains(r.timestamp)) {
            duplicates.inc();
            return;
        }
        pending.put(r.timestamp, new PendingReading(r, ctx.timerService().currentProcessingTime()));
        ctx.timerService().registerEventTimeTimer(r.timestamp);
        IdleTimeout.extendDeadline(
                cleanupAt, idleDeadline, ctx.timerService(), r.timestamp, idleTimeoutMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SensorWindow> out)
            throws Exception {
        PendingReading due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            SensorReading r = due.reading;
            ReadingRing current = ring.value();
            if (current == null || !current.fits(r)) {
                if (current != null) {
                    schemaChanges.inc();
                }
                current = new ReadingRing(window, r.names);
            }
            current.add(r);
            ring.update(current);
            if (current.size >= minWindow) {
                windows.inc();
                out.collect(current.toWindow(ctx.getCurrentKey(), due.ingestMillis));
            }
        }
        if (IdleTimeout.expiredOrRearmed(cleanupAt, idleDeadline, ctx.timerService(), timestamp)) {
            pending.clear();
            ring.clear();
            cleanupAt.clear();
            idleDeadline.clear();
        }
    }
}
