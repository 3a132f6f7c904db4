package io.sensorcast.sql;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The serializer of a RAW state field of {@link DetectState}: Flink's own POJO serializer of the
 * class ForecastJob keeps in keyed state, behind a class with a no-argument constructor (what a
 * {@code RAW} type hint names). Its snapshot nests the POJO serializer's, so a field added to the
 * class later restores as it does in ForecastJob's state.
 */
abstract class PojoStateSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final TypeSerializer<T> pojo;

    PojoStateSerializer(Class<T> type) {
        this(type, TypeInformation.of(type).createSerializer(new SerializerConfigImpl()));
    }

    PojoStateSerializer(Class<T> type, TypeSerializer<T> pojo) {
        this.type = type;
        this.pojo = pojo;
    }

    /** The same serializer over {@code pojo}. */
    abstract PojoStateSerializer<T> with(TypeSerializer<T> pojo);

    TypeSerializer<T> pojo() {
        return pojo;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        TypeSerializer<T> d = pojo.duplicate();
        return d == pojo ? this : with(d);
    }

    @Override
    public T createInstance() {
        return pojo.createInstance();
    }

    @Override
    public T copy(T from) {
        return pojo.copy(from);
    }

    @Override
    public T copy(T from, T reuse) {
        return pojo.copy(from, reuse);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        pojo.serialize(record, target);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        return pojo.deserialize(source);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return pojo.deserialize(reuse, source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        pojo.copy(source, target);
    }

    @Override
    public boolean equals(Object o) {
        return o != null
                && o.getClass() == getClass()
                && pojo.equals(((PojoStateSerializer<?>) o).pojo);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + pojo.hashCode();
    }

    /** A snapshot that nests the POJO serializer's snapshot. */
    abstract static class Snapshot<T, S extends PojoStateSerializer<T>>
            extends CompositeTypeSerializerSnapshot<T, S> {

        Snapshot() {}

        Snapshot(S serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return 1;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(S outer) {
            return new TypeSerializer<?>[] {outer.pojo()};
        }
    }

    @Override
    public abstract TypeSerializerSnapshot<T> snapshotConfiguration();
}
