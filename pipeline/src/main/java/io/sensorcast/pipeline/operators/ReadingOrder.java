package io.sensorcast.pipeline.operators;

/** When {@link SequenceWindowFunction} lets a reading into its sensor's window. */
public enum ReadingOrder {
    /**
     * At once, when it is newer than every reading its sensor has sent: a sensor's readings keep
     * their order within its Kafka partition, so a live reading is forecast and scored without
     * waiting for the watermark. A reading not newer than the sensor's newest goes to the late
     * topic (one at the newest reading's time is a duplicate, ignored). For sources that keep each
     * sensor's readings in order.
     */
    ARRIVAL,
    /**
     * Once the watermark passes it, in event-time order: readings shuffled within the
     * out-of-orderness are windowed as if they had come in order, at the cost of waiting that long.
     * For sources that reorder a sensor's readings.
     */
    EVENT_TIME
}
