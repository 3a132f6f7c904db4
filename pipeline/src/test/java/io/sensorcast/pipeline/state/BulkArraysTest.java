package io.sensorcast.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.pipeline.scoring.AnomalyDetector;
import io.sensorcast.pipeline.scoring.ErrorLikelihood;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.array.DoublePrimitiveArraySerializer;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class BulkArraysTest {

    private static final Random RANDOM = new Random(7);

    private static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16); // small: it must grow
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    private static float[] floats(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i % 11 == 0 ? Float.NaN : (float) RANDOM.nextGaussian() * 1e4f;
        }
        return a;
    }

    private static double[] doubles(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i % 13 == 0 ? Double.NEGATIVE_INFINITY : RANDOM.nextGaussian() * 1e9;
        }
        return a;
    }

    /** The bytes of Flink's own array serializers, so state either wrote reads with the other. */
    @Test
    void writesTheBytesOfFlinksArraySerializersAndReadsThemBack() throws Exception {
        for (int n : new int[] {0, 1, 7, 2016}) {
            float[] f = floats(n);
            byte[] written = bytes(BulkArrays.FloatSerializer.INSTANCE, f);
            assertThat(written).isEqualTo(bytes(FloatPrimitiveArraySerializer.INSTANCE, f));
            assertThat(
                            BulkArrays.FloatSerializer.INSTANCE.deserialize(
                                    new DataInputDeserializer(written)))
                    .isEqualTo(f);

            double[] d = doubles(n);
            written = bytes(BulkArrays.DoubleSerializer.INSTANCE, d);
            assertThat(written).isEqualTo(bytes(DoublePrimitiveArraySerializer.INSTANCE, d));
            assertThat(
                            DoublePrimitiveArraySerializer.INSTANCE.deserialize(
                                    new DataInputDeserializer(written)))
                    .isEqualTo(d);

            DataOutputSerializer copied = new DataOutputSerializer(16);
            BulkArrays.DoubleSerializer.INSTANCE.copy(new DataInputDeserializer(written), copied);
            assertThat(copied.getCopyOfBuffer()).isEqualTo(written);
        }
    }

    /** State of a build whose arrays went through Flink's serializers restores as it is. */
    @Test
    void stateOfFlinksArraySerializersIsCompatibleAsIs() {
        assertThat(
                        BulkArrays.FloatSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        FloatPrimitiveArraySerializer.INSTANCE
                                                .snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(
                        BulkArrays.DoubleSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        DoublePrimitiveArraySerializer.INSTANCE
                                                .snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(
                        BulkArrays.FloatSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        BulkArrays.FloatSerializer.INSTANCE.snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
    }

    /** The detector's arrays, the bulk of a sensor's scoring state, take the bulk serializers. */
    @Test
    void theDetectorsArraysAreBulk() {
        PojoTypeInfo<?> detector = (PojoTypeInfo<?>) TypeInformation.of(AnomalyDetector.class);
        TypeInformation<?> history = detector.getTypeAt(detector.getFieldIndex("history"));
        assertThat(history).isInstanceOf(SerializerTypeInfo.class);
        assertThat(history.getTypeClass()).isEqualTo(float[].class);
        PojoTypeInfo<?> errors = (PojoTypeInfo<?>) TypeInformation.of(ErrorLikelihood.class);
        assertThat(errors.getTypeAt(errors.getFieldIndex("blockSums")))
                .isInstanceOf(SerializerTypeInfo.class);
    }
}
