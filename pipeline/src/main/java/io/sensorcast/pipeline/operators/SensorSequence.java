package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.SensorReading;
import java.util.Arrays;

/**
 * All of one sensor's state in {@link SequenceWindowFunction}, in one keyed value so that a reading
 * costs one state lookup on arrival and one on release: the ring of released readings, the readings
 * waiting for the watermark (in event-time order) and the idle deadline. A Flink POJO.
 */
public final class SensorSequence {

    private static final PendingReading[] NONE = new PendingReading[0];

    /** The released readings; null until the first one is released. */
    public ReadingRing ring;

    /** Readings waiting for the watermark, oldest first, in {@code [0, waiting)}. */
    public PendingReading[] pending = NONE;

    public int waiting;

    /** The newest reading's event time plus the idle timeout. */
    public long deadline;

    /** The event time of the sensor's one idle timer. */
    public long idleTimerAt;

    public SensorSequence() {}

    /** Whether a reading at {@code timestamp} is waiting. */
    boolean isWaiting(long timestamp) {
        for (int i = 0; i < waiting; i++) {
            if (pending[i].reading.timestamp == timestamp) {
                return true;
            }
        }
        return false;
    }

    /** Whether the ring holds a reading at or after {@code timestamp}. */
    boolean isBehind(long timestamp) {
        return ring != null && ring.size > 0 && timestamp <= ring.newest();
    }

    /** Whether the ring's newest reading is at {@code timestamp}. */
    boolean isNewest(long timestamp) {
        return ring != null && ring.size > 0 && timestamp == ring.newest();
    }

    /**
     * Adds {@code p} in event-time order; true when it is now the earliest waiting reading (the one
     * the next release timer must be set for).
     */
    boolean add(PendingReading p) {
        if (waiting == pending.length) {
            pending = Arrays.copyOf(pending, Math.max(4, 2 * waiting));
        }
        long t = p.reading.timestamp;
        int at = waiting;
        while (at > 0 && pending[at - 1].reading.timestamp > t) {
            pending[at] = pending[at - 1];
            at--;
        }
        pending[at] = p;
        waiting++;
        return at == 0;
    }

    /** The earliest waiting reading's time; only while {@code waiting > 0}. */
    long earliest() {
        return pending[0].reading.timestamp;
    }

    /** Waiting readings at or before {@code watermark}: the first {@code n} of {@link #pending}. */
    int due(long watermark) {
        int n = 0;
        while (n < waiting && pending[n].reading.timestamp <= watermark) {
            n++;
        }
        return n;
    }

    /** Drops the first {@code n} waiting readings. */
    void release(int n) {
        System.arraycopy(pending, n, pending, 0, waiting - n);
        Arrays.fill(pending, waiting - n, waiting, null);
        waiting -= n;
    }

    /**
     * {@code r} appended to the ring; a new ring of {@code capacity} when its features differ (true
     * then).
     */
    boolean append(SensorReading r, int capacity) {
        boolean changed = ring != null && !ring.fits(r);
        if (ring == null || changed) {
            ring = new ReadingRing(capacity, r.names);
        }
        ring.add(r);
        return changed;
    }
}
