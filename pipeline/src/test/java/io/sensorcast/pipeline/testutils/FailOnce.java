package io.sensorcast.pipeline.testutils;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through and throws once per JVM, in the subtask that first sees {@code after}
 * records since a checkpoint completed: a failure mid-stream that must be recovered from a
 * checkpoint, not from the start.
 */
public final class FailOnce<T> implements MapFunction<T, T>, CheckpointListener {

    private static final long serialVersionUID = 1L;

    /** Whether the failure has happened; reset it before each test. */
    public static final AtomicBoolean FAILED = new AtomicBoolean();

    private final long after;
    private transient long seen;
    private transient boolean checkpointed;

    public FailOnce(long after) {
        this.after = after;
    }

    @Override
    public T map(T value) {
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
