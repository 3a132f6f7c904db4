package io.sensorcast.pipeline.testutils;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * The state backends the jobs are tested on. The heap keeps a sensor's state as the object the
 * operator changed; RocksDB serializes it on every update and reads a copy back, so a change made
 * without {@code update()}, or a field the serializer drops, shows only there.
 */
public enum StateBackends {
    /** Flink's default: state objects on the heap, every checkpoint a full copy. */
    HASHMAP,
    /** RocksDB, with incremental checkpoints: what a large fleet runs on. */
    ROCKSDB;

    /** The backend for an operator test harness ({@code harness.setStateBackend}). */
    public StateBackend backend() {
        return this == HASHMAP ? new HashMapStateBackend() : new EmbeddedRocksDBStateBackend(true);
    }

    /**
     * The keys holding {@code state} in the keyed operator under test: what {@code
     * numKeyedStateEntries()} counts for one state, on any backend (that one counts on the heap
     * only).
     */
    public static long keysWith(AbstractStreamOperatorTestHarness<?> harness, String state)
            throws Exception {
        try (Stream<Object> keys = keyed(harness).getKeys(state, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    /** The keyed state backend of the operator under test. */
    public static KeyedStateBackend<Object> keyed(AbstractStreamOperatorTestHarness<?> harness) {
        return ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
    }

    /** {@code flink} set to run a job on this backend, checkpointing under {@code checkpoints}. */
    public Configuration configure(Configuration flink, Path checkpoints) {
        flink.set(StateBackendOptions.STATE_BACKEND, this == HASHMAP ? "hashmap" : "rocksdb");
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, this == ROCKSDB);
        flink.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        return flink;
    }
}
