package io.sensorcast.pipeline.operators;

import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * One event-time timer per key that fires once a key has been silent for the idle timeout: how the
 * keyed operators drop the state of a departed sensor. The timer's time is kept in a {@code
 * ValueState<Long>}; each reading moves it forward (deleting the timer it replaces), so a key has
 * at most one timer. An operator with no other event-time timers moves only the deadline and lets
 * the one timer catch up when it fires ({@link #extendDeadline}).
 */
public final class IdleTimeout {

    private IdleTimeout() {}

    /** Moves the key's timer to {@code eventTime + idleMillis} unless it is already later. */
    public static void extend(
            ValueState<Long> timerAt, TimerService timers, long eventTime, long idleMillis)
            throws IOException {
        Long previous = timerAt.value();
        long next = eventTime + idleMillis;
        if (previous == null || next > previous) {
            if (previous != null) {
                timers.deleteEventTimeTimer(previous);
            }
            timers.registerEventTimeTimer(next);
            timerAt.update(next);
        }
    }

    /**
     * For an operator whose only event-time timers are idle timeouts: moves the key's deadline to
     * {@code eventTime + idleMillis} unless it is already later, registering a timer only for the
     * key's first reading. The timer, once it fires before the deadline, is registered again at it
     * ({@link #expiredOrRearmed}), so a key has one timer and a reading costs no timer work — where
     * {@link #extend} deletes and inserts a timer for every reading (a sixth of the scoring thread
     * in {@code sensorcast bench}'s profile). The state is dropped at the same event time.
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

    /** Whether the timer firing at {@code timestamp} is the key's idle timeout. */
    public static boolean expired(ValueState<Long> timerAt, long timestamp) throws IOException {
        Long at = timerAt.value();
        return at != null && timestamp >= at;
    }
}
