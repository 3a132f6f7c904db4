package io.sensorcast.pipeline.testutils;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through and throws once per JVM, in the subtask that first sees {@code after}
 * records since a checkpoint completed: a failure mid-stream that must be recovered from a
 * checkpoint, not from the start. Records are throttled (1 ms per 4) so that a bounded test input
 * still spans several checkpoints.
 */
public final class FailOnce<T> implements MapFunction<T, T>, CheckpointListener {

    private static final long serialVersionUID = 1L;

    /** Whether the failure has happened; reset it before each test. */
    public static final AtomicBoolean FAILED = new AtomicBoolean();

    private final long after;
    private transient long seen;
    private transient boolean checkpointed;
    private transient long throttle;

    public FailOnce(long after) {
        this.after = after;
    }

    @Override
    public T map(T value) throws InterruptedException {
        if (++throttle % 4 == 0) {
            Thread.sleep(1);
        }
        if (checkpointed && ++seen >= after && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + seen + " records");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointed = true;
    }
}
