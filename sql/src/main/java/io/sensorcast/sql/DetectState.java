package io.sensorcast.sql;

import io.sensorcast.pipeline.operators.SensorSequence;
import io.sensorcast.pipeline.scoring.SensorScoring;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.table.annotation.DataTypeHint;

/**
 * One sensor's state in {@link SensorcastDetect}: the same two values ForecastJob keeps per sensor,
 * its sequence ({@link SensorSequence}) and its scoring ({@link SensorScoring}), serialized by
 * Flink's POJO serializer as ForecastJob's are. A Flink POJO, and a RAW type to the Table API: the
 * function keeps it as the one value of a {@code MapView}, which reads and writes the object
 * itself. A value-state entry would have to be a structured type, which the framework compares with
 * its previous value after every row to decide whether to write it; for a RAW field that comparison
 * serializes both, and it was a third of the function's time.
 */
@DataTypeHint(
        value = "RAW",
        bridgedTo = DetectState.class,
        rawSerializer = DetectState.Serializer.class)
public final class DetectState {

    /** The sensor's sequence; never null in state. */
    public SensorSequence sequence;

    /** The sensor's scoring; null until its first window is forecast. */
    public SensorScoring scoring;

    public DetectState() {}

    /** {@link DetectState}'s POJO serializer, behind a no-argument constructor. */
    public static final class Serializer extends PojoStateSerializer<DetectState> {

        private static final long serialVersionUID = 1L;

        public Serializer() {
            super(DetectState.class);
        }

        Serializer(TypeSerializer<DetectState> pojo) {
            super(DetectState.class, pojo);
        }

        @Override
        Serializer with(TypeSerializer<DetectState> pojo) {
            return new Serializer(pojo);
        }

        @Override
        public TypeSerializerSnapshot<DetectState> snapshotConfiguration() {
            return new DetectState.Snapshot(this);
        }
    }

    /** Restores a {@link Serializer}. */
    public static final class Snapshot
            extends PojoStateSerializer.Snapshot<DetectState, Serializer> {

        public Snapshot() {}

        Snapshot(Serializer serializer) {
            super(serializer);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected Serializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new Serializer((TypeSerializer<DetectState>) nested[0]);
        }
    }
}
