package io.sensorcast.pipeline.operators;

import io.sensorcast.connectors.format.SensorReading;

/** A reading waiting for the watermark, with the processing time it arrived at. A Flink POJO. */
public final class PendingReading {

    public SensorReading reading;
    public long ingestMillis;

    public PendingReading() {}

    public PendingReading(SensorReading reading, long ingestMillis) {
        this.reading = reading;
        this.ingestMillis = ingestMillis;
    }
}
