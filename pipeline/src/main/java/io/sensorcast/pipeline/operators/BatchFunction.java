package io.sensorcast.pipeline.operators;

import java.io.Serializable;
import java.util.List;

/**
 * Work done on a whole batch at once, e.g. one forward pass of the network over many sensors'
 * windows. Opened once per operator instance, closed when it ends.
 */
public interface BatchFunction<IN, OUT> extends Serializable {

    default void open() throws Exception {}

    /** The results for {@code batch}, any number of them (one per input for a forecaster). */
    List<OUT> apply(List<IN> batch) throws Exception;

    default void close() throws Exception {}
}
