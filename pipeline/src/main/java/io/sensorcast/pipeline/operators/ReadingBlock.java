package io.sensorcast.pipeline.operators;

import io.sensorcast.pipeline.state.SerializerTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A block of consecutive slots of a {@link ReadingRing}: their readings' times and values. Copies
 * of a ring share its blocks ({@link Serializer#copy} marks a block shared instead of copying it),
 * and a ring writes into a shared block only after copying it ({@link #writable}).
 *
 * <p>The heap state backend copies a sensor's state the first time it is changed after a checkpoint
 * began, so that the checkpoint writes the state as it was. A deep copy of a ring (a week of
 * readings, about 33 KB a sensor) made every checkpoint copy the whole fleet's history, 33 MB a
 * second with one-second checkpoints, which lived until the next checkpoint: young collections
 * spent most of their pause copying it into survivor space and the old generation filled with it.
 * With shared blocks a copy costs the ring's block references and, at its next reading, one block.
 */
@TypeInfo(ReadingBlock.TypeFactory.class)
public final class ReadingBlock {

    /** The times of the block's slots. */
    final long[] timestamps;

    /** The values of the block's slots, {@code features} per slot. */
    final double[] values;

    /** Whether another ring (or a checkpoint's copy of this one) holds the block too. */
    private boolean shared;

    ReadingBlock(int slots, int features) {
        this(new long[slots], new double[slots * features]);
    }

    private ReadingBlock(long[] timestamps, double[] values) {
        this.timestamps = timestamps;
        this.values = values;
    }

    int slots() {
        return timestamps.length;
    }

    /** This block, or a copy of it when it is shared. */
    ReadingBlock writable() {
        return shared ? new ReadingBlock(timestamps.clone(), values.clone()) : this;
    }

    boolean isShared() {
        return shared;
    }

    /** The type information that gives blocks their {@link Serializer}. */
    public static final class TypeFactory extends TypeInfoFactory<ReadingBlock> {
        @Override
        public TypeInformation<ReadingBlock> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(ReadingBlock.class, Serializer.INSTANCE);
        }
    }

    /**
     * Writes a block as its slot count, its value count, the times and the values. Its copy is the
     * block itself, marked shared.
     */
    public static final class Serializer extends TypeSerializerSingleton<ReadingBlock> {
        private static final long serialVersionUID = 1L;

        static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public ReadingBlock createInstance() {
            return new ReadingBlock(0, 0);
        }

        @Override
        public ReadingBlock copy(ReadingBlock from) {
            from.shared = true;
            return from;
        }

        @Override
        public ReadingBlock copy(ReadingBlock from, ReadingBlock reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(ReadingBlock block, DataOutputView target) throws IOException {
            int slots = block.timestamps.length;
            byte[] bytes = new byte[Long.BYTES * (slots + block.values.length)];
            ByteBuffer b = ByteBuffer.wrap(bytes);
            b.asLongBuffer().put(block.timestamps);
            b.position(Long.BYTES * slots);
            b.asDoubleBuffer().put(block.values);
            target.writeInt(slots);
            target.writeInt(block.values.length);
            target.write(bytes); // big-endian, as writeLong and writeDouble one by one wrote them
        }

        @Override
        public ReadingBlock deserialize(DataInputView source) throws IOException {
            long[] timestamps = new long[source.readInt()];
            double[] values = new double[source.readInt()];
            byte[] bytes = new byte[Long.BYTES * (timestamps.length + values.length)];
            source.readFully(bytes);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            b.asLongBuffer().get(timestamps);
            b.position(Long.BYTES * timestamps.length);
            b.asDoubleBuffer().get(values);
            return new ReadingBlock(timestamps, values);
        }

        @Override
        public ReadingBlock deserialize(ReadingBlock reuse, DataInputView source)
                throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int slots = source.readInt();
            int values = source.readInt();
            byte[] bytes = new byte[Long.BYTES * (slots + values)];
            source.readFully(bytes);
            target.writeInt(slots);
            target.writeInt(values);
            target.write(bytes);
        }

        @Override
        public TypeSerializerSnapshot<ReadingBlock> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer's snapshot: it has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ReadingBlock> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
