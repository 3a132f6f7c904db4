package io.sensorcast.sql;

import io.sensorcast.pipeline.operators.SensorSequence;
import io.sensorcast.pipeline.scoring.SensorScoring;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.table.annotation.DataTypeHint;

/**
 * One sensor's state in {@link SensorcastDetect}: the same two values ForecastJob keeps per sensor,
 * its sequence ({@link SensorSequence}) and its scoring ({@link SensorScoring}), serialized as
 * ForecastJob serializes them. A PTF's state must be a structured type, so the two are RAW fields
 * of one: on the heap backend the function gets the objects back as it left them, without
 * conversion; on RocksDB each row reads and writes them once.
 */
public final class DetectState {

    @DataTypeHint(
            value = "RAW",
            bridgedTo = SensorSequence.class,
            rawSerializer = DetectState.SequenceSerializer.class)
    public SensorSequence sequence;

    @DataTypeHint(
            value = "RAW",
            bridgedTo = SensorScoring.class,
            rawSerializer = DetectState.ScoringSerializer.class)
    public SensorScoring scoring;

    public DetectState() {}

    /** {@link SensorSequence}'s POJO serializer. */
    public static final class SequenceSerializer extends PojoStateSerializer<SensorSequence> {

        private static final long serialVersionUID = 1L;

        public SequenceSerializer() {
            super(SensorSequence.class);
        }

        SequenceSerializer(TypeSerializer<SensorSequence> pojo) {
            super(SensorSequence.class, pojo);
        }

        @Override
        SequenceSerializer with(TypeSerializer<SensorSequence> pojo) {
            return new SequenceSerializer(pojo);
        }

        @Override
        public TypeSerializerSnapshot<SensorSequence> snapshotConfiguration() {
            return new SequenceSnapshot(this);
        }
    }

    /** Restores a {@link SequenceSerializer}. */
    public static final class SequenceSnapshot
            extends PojoStateSerializer.Snapshot<SensorSequence, SequenceSerializer> {

        public SequenceSnapshot() {}

        SequenceSnapshot(SequenceSerializer serializer) {
            super(serializer);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected SequenceSerializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new SequenceSerializer((TypeSerializer<SensorSequence>) nested[0]);
        }
    }

    /** {@link SensorScoring}'s POJO serializer. */
    public static final class ScoringSerializer extends PojoStateSerializer<SensorScoring> {

        private static final long serialVersionUID = 1L;

        public ScoringSerializer() {
            super(SensorScoring.class);
        }

        ScoringSerializer(TypeSerializer<SensorScoring> pojo) {
            super(SensorScoring.class, pojo);
        }

        @Override
        ScoringSerializer with(TypeSerializer<SensorScoring> pojo) {
            return new ScoringSerializer(pojo);
        }

        @Override
        public TypeSerializerSnapshot<SensorScoring> snapshotConfiguration() {
            return new ScoringSnapshot(this);
        }
    }

    /** Restores a {@link ScoringSerializer}. */
    public static final class ScoringSnapshot
            extends PojoStateSerializer.Snapshot<SensorScoring, ScoringSerializer> {

        public ScoringSnapshot() {}

        ScoringSnapshot(ScoringSerializer serializer) {
            super(serializer);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected ScoringSerializer createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new ScoringSerializer((TypeSerializer<SensorScoring>) nested[0]);
        }
    }
}
