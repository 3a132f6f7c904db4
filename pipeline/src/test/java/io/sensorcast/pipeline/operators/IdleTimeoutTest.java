package io.sensorcast.pipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.junit.jupiter.api.Test;

/** A reading moves only the deadline; the one timer catches up when it fires early. */
class IdleTimeoutTest {

    private static final long IDLE = 1_000;

    /** A key's value state. */
    private static final class Value implements ValueState<Long> {
        Long v;

        @Override
        public Long value() {
            return v;
        }

        @Override
        public void update(Long value) {
            v = value;
        }

        @Override
        public void clear() {
            v = null;
        }
    }

    /** Records the timers registered; deleting one is a failure of the scheme. */
    private static final class Timers implements TimerService {
        final List<Long> registered = new ArrayList<>();

        @Override
        public long currentProcessingTime() {
            return 0;
        }

        @Override
        public long currentWatermark() {
            return 0;
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            throw new AssertionError("no processing-time timers");
        }

        @Override
        public void registerEventTimeTimer(long time) {
            registered.add(time);
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            throw new AssertionError("no timer is deleted");
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            throw new AssertionError("no timer is deleted");
        }
    }

    @Test
    void readingsMoveTheDeadlineAndTheOneTimerCatchesUpWhenItFires() throws Exception {
        Value deadline = new Value();
        Timers timers = new Timers();
        for (long t = 0; t < 100; t++) {
            IdleTimeout.extendDeadline(deadline, timers, t, IDLE);
        }
        assertThat(timers.registered).containsExactly(IDLE); // the first reading's only
        assertThat(deadline.value()).isEqualTo(99 + IDLE);
        // the timer fires before the deadline: registered again at it, not idle
        assertThat(IdleTimeout.expiredOrRearmed(deadline, timers, IDLE)).isFalse();
        assertThat(timers.registered).containsExactly(IDLE, 99 + IDLE);
        // and at the deadline: idle, nothing registered
        assertThat(IdleTimeout.expiredOrRearmed(deadline, timers, 99 + IDLE)).isTrue();
        assertThat(timers.registered).hasSize(2);
    }
}
