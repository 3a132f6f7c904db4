package io.sensorcast.pipeline.state;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.common.typeutils.base.array.DoublePrimitiveArraySerializer;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@code float[]} and {@code double[]} fields of keyed state, written in bulk: the length, then the
 * elements big-endian, the bytes of Flink's {@link FloatPrimitiveArraySerializer} and {@link
 * DoublePrimitiveArraySerializer}, in one copy instead of a call per element. On RocksDB a sensor's
 * state is read and written whole at every reading, and those per-element calls were the largest
 * part of the forecasting thread's time ({@code sensorcast bench-state}). The same bytes make state
 * written by Flink's serializers restore as it is, and the other way round.
 *
 * <p>A state field opts in with {@code @TypeInfo(BulkArrays.Floats.class)} (or {@code Doubles}).
 */
public final class BulkArrays {

    private BulkArrays() {}

    /** The type information of a bulk {@code float[]} field. */
    public static final class Floats extends TypeInfoFactory<float[]> {
        @Override
        public TypeInformation<float[]> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(float[].class, FloatSerializer.INSTANCE);
        }
    }

    /** The type information of a bulk {@code double[]} field. */
    public static final class Doubles extends TypeInfoFactory<double[]> {
        @Override
        public TypeInformation<double[]> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(double[].class, DoubleSerializer.INSTANCE);
        }
    }

    /** An array as its length and {@code width}-byte big-endian elements. */
    abstract static class Serializer<T> extends TypeSerializerSingleton<T> {
        private static final long serialVersionUID = 1L;

        private final int width;

        Serializer(int width) {
            this.width = width;
        }

        abstract int length(T array);

        abstract T make(int length);

        /** {@code array} into {@code bytes}, big-endian. */
        abstract void put(T array, ByteBuffer bytes);

        /** {@code bytes}, big-endian, into {@code array}. */
        abstract void get(ByteBuffer bytes, T array);

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public T createInstance() {
            return make(0);
        }

        @Override
        public T copy(T from, T reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(T array, DataOutputView target) throws IOException {
            int n = length(array);
            byte[] bytes = new byte[n * width];
            put(array, ByteBuffer.wrap(bytes));
            target.writeInt(n);
            target.write(bytes);
        }

        @Override
        public T deserialize(DataInputView source) throws IOException {
            T array = make(source.readInt());
            byte[] bytes = new byte[length(array) * width];
            source.readFully(bytes);
            get(ByteBuffer.wrap(bytes), array);
            return array;
        }

        @Override
        public T deserialize(T reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int n = source.readInt();
            byte[] bytes = new byte[n * width];
            source.readFully(bytes);
            target.writeInt(n);
            target.write(bytes);
        }
    }

    static final class FloatSerializer extends Serializer<float[]> {
        private static final long serialVersionUID = 1L;

        static final FloatSerializer INSTANCE = new FloatSerializer();

        FloatSerializer() {
            super(Float.BYTES);
        }

        @Override
        int length(float[] array) {
            return array.length;
        }

        @Override
        float[] make(int length) {
            return new float[length];
        }

        @Override
        void put(float[] array, ByteBuffer bytes) {
            bytes.asFloatBuffer().put(array);
        }

        @Override
        void get(ByteBuffer bytes, float[] array) {
            bytes.asFloatBuffer().get(array);
        }

        @Override
        public float[] copy(float[] from) {
            return from.clone();
        }

        @Override
        public TypeSerializerSnapshot<float[]> snapshotConfiguration() {
            return new FloatSnapshot();
        }
    }

    static final class DoubleSerializer extends Serializer<double[]> {
        private static final long serialVersionUID = 1L;

        static final DoubleSerializer INSTANCE = new DoubleSerializer();

        DoubleSerializer() {
            super(Double.BYTES);
        }

        @Override
        int length(double[] array) {
            return array.length;
        }

        @Override
        double[] make(int length) {
            return new double[length];
        }

        @Override
        void put(double[] array, ByteBuffer bytes) {
            bytes.asDoubleBuffer().put(array);
        }

        @Override
        void get(ByteBuffer bytes, double[] array) {
            bytes.asDoubleBuffer().get(array);
        }

        @Override
        public double[] copy(double[] from) {
            return from.clone();
        }

        @Override
        public TypeSerializerSnapshot<double[]> snapshotConfiguration() {
            return new DoubleSnapshot();
        }
    }

    /** The bulk float serializer's snapshot; state of Flink's own float array serializer reads. */
    public static final class FloatSnapshot extends SimpleTypeSerializerSnapshot<float[]> {
        public FloatSnapshot() {
            super(() -> FloatSerializer.INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<float[]> resolveSchemaCompatibility(
                TypeSerializerSnapshot<float[]> old) {
            return old.restoreSerializer() instanceof FloatPrimitiveArraySerializer
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : super.resolveSchemaCompatibility(old);
        }
    }

    /**
     * The bulk double serializer's snapshot; state of Flink's own double array serializer reads.
     */
    public static final class DoubleSnapshot extends SimpleTypeSerializerSnapshot<double[]> {
        public DoubleSnapshot() {
            super(() -> DoubleSerializer.INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<double[]> resolveSchemaCompatibility(
                TypeSerializerSnapshot<double[]> old) {
            return old.restoreSerializer() instanceof DoublePrimitiveArraySerializer
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : super.resolveSchemaCompatibility(old);
        }
    }
}
