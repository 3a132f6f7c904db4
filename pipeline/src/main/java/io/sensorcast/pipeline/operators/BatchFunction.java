package io.sensorcast.pipeline.operators;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.metrics.MetricGroup;

/**
 * Work done on a whole batch at once, e.g. one forward pass of the network over many sensors'
 * windows, steered by control messages from a second input (e.g. model updates). Opened once per
 * operator instance, closed when it ends. A function that also implements Flink's {@code
 * CheckpointedFunction} has its operator state snapshotted and restored by {@link
 * MicroBatchOperator}.
 *
 * @param <IN> the batched elements
 * @param <C> the control messages
 * @param <OUT> the results
 */
public interface BatchFunction<IN, C, OUT> extends Serializable {

    /** Called once before any other method, with the operator's metric group. */
    default void open(MetricGroup metrics) throws Exception {}

    /** The results for {@code batch}, any number of them (one per input for a forecaster). */
    List<OUT> apply(List<IN> batch) throws Exception;

    /** Handles a control message; called between batches, on the operator's thread. */
    default void control(C message) throws Exception {}

    /**
     * Called on the operator's thread between batches about every {@link
     * MicroBatchOperator#TICK_MILLIS}, with or without input: to take in work finished in the
     * background (a model loaded while no readings arrive).
     */
    default void tick() throws Exception {}

    default void close() throws Exception {}
}
