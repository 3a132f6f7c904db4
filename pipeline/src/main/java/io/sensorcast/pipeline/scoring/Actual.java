package io.sensorcast.pipeline.scoring;

import io.sensorcast.pipeline.operators.SensorWindow;

/**
 * What scoring needs of a new reading: its values and the time of the reading before it (whose
 * forecast it settles). A slim Flink POJO, so the scorer's input does not ship whole windows.
 */
public final class Actual {

    public String sensor;

    /** Event time of the reading, epoch ms. */
    public long timestamp;

    /** Event time of the sensor's previous reading; {@link Long#MIN_VALUE} when it has none. */
    public long previous;

    /** Processing time at which the reading entered the job. */
    public long ingestMillis;

    public String[] names;

    /** The reading's value per name. */
    public double[] values;

    public Actual() {}

    /** The newest reading of {@code w}. */
    public static Actual of(SensorWindow w) {
        Actual a = new Actual();
        a.sensor = w.sensor;
        a.timestamp = w.timestamp;
        a.previous = w.steps() < 2 ? Long.MIN_VALUE : w.timestamps[w.steps() - 2];
        a.ingestMillis = w.ingestMillis;
        a.names = w.names;
        a.values = new double[w.names.length];
        for (int f = 0; f < a.values.length; f++) {
            a.values[f] = w.latest(f);
        }
        return a;
    }
}
