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
}
