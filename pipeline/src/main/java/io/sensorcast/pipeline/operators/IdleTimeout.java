package io.sensorcast.pipeline.operators;

import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * One event-time timer per key that fires once a key has been silent for the idle timeout: how the
 * keyed operators drop the state of a departed sensor. The timer's time is kept in a {@code
 * ValueState<Long>}; each reading moves it forward (deleting the timer it replaces), so a key has
 * at most one timer.
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

    /** Whether the timer firing at {@code timestamp} is the key's idle timeout. */
    public static boolean expired(ValueState<Long> timerAt, long timestamp) throws IOException {
        Long at = timerAt.value();
        return at != null && timestamp >= at;
    }
}
