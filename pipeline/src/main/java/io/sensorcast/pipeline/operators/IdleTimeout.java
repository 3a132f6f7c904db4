package io.sensorcast.pipeline.operators;

import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * One event-time timer per key that fires once a key has been silent for the idle timeout: how the
 * keyed operators drop the state of a departed sensor. A reading only moves the key's deadline (a
 * {@code ValueState<Long>}); the key's one timer, when it fires before the deadline, is registered
 * again at it. So a reading costs no timer work — moving the timer itself (a delete and an insert
 * in the timer heap per reading) was a sixth of the scoring thread in {@code sensorcast bench}'s
 * profile — and the state is dropped at the same event time.
 */
public final class IdleTimeout {

    private IdleTimeout() {}

    /**
     * For an operator whose only event-time timers are idle timeouts: moves the key's deadline to
     * {@code eventTime + idleMillis} unless it is already later, registering a timer only for the
     * key's first reading.
     */
    public static void extendDeadline(
            ValueState<Long> deadline, TimerService timers, long eventTime, long idleMillis)
            throws IOException {
        Long previous = deadline.value();
        long next = eventTime + idleMillis;
        if (previous == null) {
            timers.registerEventTimeTimer(next);
            deadline.update(next);
        } else if (next > previous) {
            deadline.update(next);
        }
    }

    /**
     * With {@link #extendDeadline}: whether the timer firing at {@code timestamp} finds the key
     * idle; if not, the timer is registered again at the (later) deadline.
     */
    public static boolean expiredOrRearmed(
            ValueState<Long> deadline, TimerService timers, long timestamp) throws IOException {
        Long at = deadline.value();
        if (at == null) {
            return false;
        }
        if (timestamp >= at) {
            return true;
        }
        timers.registerEventTimeTimer(at);
        return false;
    }

    /**
     * {@link #extendDeadline} for an operator with other event-time timers too: {@code timerAt}
     * holds the time of the key's one idle timer, so that {@link #expiredOrRearmed(ValueState,
     * ValueState, TimerService, long)} can tell it from the others. A key restored from a
     * checkpoint made before the deadline was kept keeps its timer and takes its time as the
     * deadline.
     */
    public static void extendDeadline(
            ValueState<Long> timerAt,
            ValueState<Long> deadline,
            TimerService timers,
            long eventTime,
            long idleMillis)
            throws IOException {
        Long due = deadline.value();
        long next = eventTime + idleMillis;
        if (due == null) {
            Long at = timerAt.value();
            if (at == null) {
                timers.registerEventTimeTimer(next);
                timerAt.update(next);
            }
            deadline.update(at == null ? next : Math.max(next, at));
        } else if (next > due) {
            deadline.update(next);
        }
    }

    /**
     * With {@link #extendDeadline(ValueState, ValueState, TimerService, long, long)}: whether the
     * timer firing at {@code timestamp} is the key's idle timer and finds the key idle; if it is
     * the idle timer but the deadline has moved, the timer is registered again at it.
     */
    public static boolean expiredOrRearmed(
            ValueState<Long> timerAt,
            ValueState<Long> deadline,
            TimerService timers,
            long timestamp)
            throws IOException {
        Long at = timerAt.value();
        if (at == null || timestamp < at) {
            return false; // another timer of the operator
        }
        Long due = deadline.value();
        if (due != null && due > timestamp) {
            timers.registerEventTimeTimer(due);
            timerAt.update(due);
            return false;
        }
        return true;
    }
}
