package io.sensorcast.model.serving;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX model ({@code onnx.proto}'s {@code ModelProto}) node by node and encodes it as
 * protobuf, with nothing but the JDK: the handful of messages a feed-forward graph needs (graph,
 * nodes, attributes, float and int64 initializers, inputs and outputs with a named batch
 * dimension).
 *
 * <p>Field numbers are those of {@code onnx/onnx.proto} (proto2: repeated scalars unpacked).
 */
public final class OnnxGraph {

    /** {@code TensorProto.DataType}. */
    private static final int FLOAT = 1;

    private static final int INT64 = 7;

    /** IR version 8 (ONNX 1.10+), read by every ONNX Runtime since 1.10. */
    private static final long IR_VERSION = 8;

    private final int opset;
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int names;

    public OnnxGraph(int opset) {
        this.opset = opset;
    }

    /** A fresh value name with {@code prefix}. */
    String name(String prefix) {
        return prefix + "_" + names++;
    }

    /** A float graph input of {@code dims}; a negative dimension is the symbolic {@code batch}. */
    public void input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
    }

    /** A float graph output of {@code dims}; a negative dimension is the symbolic {@code batch}. */
    public void output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
    }

    /** A constant float tensor; returns its name. */
    public String floats(String prefix, float[] values, long... dims) {
        checkSize(values.length, dims);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(prefix, FLOAT, raw.array(), dims);
    }

    /** A constant 1-D int64 tensor (shapes, axes, indices); returns its name. */
    String longs(String prefix, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return initializer(prefix, INT64, raw.array(), values.length);
    }

    /**
     * A node of {@code op} over {@code in} (an empty string is an omitted optional input) with
     * {@code outputs} fresh output names; returns them.
     */
    String[] node(String op, String[] in, int outputs, Attribute... attributes) {
        String[] out = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            out[i] = name(op.toLowerCase(java.util.Locale.ROOT));
        }
        Proto node = new Proto();
        for (String s : in) {
            node.string(1, s);
        }
        for (String s : out) {
            node.string(2, s);
        }
        node.string(3, out[0]);
        node.string(4, op);
        for (Attribute a : attributes) {
            node.message(5, a.encoded);
        }
        nodes.add(node.bytes());
        return out;
    }

    /** Makes the value {@code from} also available as {@code name} (a graph output, say). */
    public void alias(String from, String name) {
        Proto node = new Proto();
        node.string(1, from);
        node.string(2, name);
        node.string(3, name);
        node.string(4, "Identity");
        nodes.add(node.bytes());
    }

    /** {@link #node(String, String[], int, Attribute...)} with one output. */
    public String op(String op, String[] in, Attribute... attributes) {
        return node(op, in, 1, attributes)[0];
    }

    /** The encoded {@code ModelProto}. */
    public byte[] toBytes(String graphName) {
        Proto graph = new Proto();
        for (byte[] n : nodes) {
            graph.message(1, n);
        }
        graph.string(2, graphName);
        for (byte[] t : initializers) {
            graph.message(5, t);
        }
        for (byte[] v : inputs) {
            graph.message(11, v);
        }
        for (byte[] v : outputs) {
            graph.message(12, v);
        }
        Proto opsetId = new Proto();
        opsetId.string(1, "");
        opsetId.varint(2, opset);
        Proto model = new Proto();
        model.varint(1, IR_VERSION);
        model.string(2, "sensorcast");
        model.message(7, graph.bytes());
        model.message(8, opsetId.bytes());
        return model.bytes();
    }

    private String initializer(String prefix, int type, byte[] raw, long... dims) {
        String name = name(prefix);
        Proto tensor = new Proto();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        tensor.varint(2, type);
        tensor.string(8, name);
        tensor.bytes(9, raw);
        initializers.add(tensor.bytes());
        return name;
    }

    private static byte[] valueInfo(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            Proto dim = new Proto();
            if (d < 0) {
                dim.string(2, "batch");
            } else {
                dim.varint(1, d);
            }
            shape.message(1, dim.bytes());
        }
        Proto tensorType = new Proto();
        tensorType.varint(1, FLOAT);
        tensorType.message(2, shape.bytes());
        Proto type = new Proto();
        type.message(1, tensorType.bytes());
        Proto info = new Proto();
        info.string(1, name);
        info.message(2, type.bytes());
        return info.bytes();
    }

    private static void checkSize(int length, long... dims) {
        long size = 1;
        for (long d : dims) {
            size *= d;
        }
        if (size != length) {
            throw new IllegalArgumentException(
                    length + " values do not fill dims " + java.util.Arrays.toString(dims));
        }
    }

    /** A node attribute ({@code AttributeProto}). */
    public static final class Attribute {

        private final byte[] encoded;

        private Attribute(byte[] encoded) {
            this.encoded = encoded;
        }

        static Attribute of(String name, long value) {
            Proto a = new Proto();
            a.string(1, name);
            a.varint(3, value);
            a.varint(20, 2); // INT
            return new Attribute(a.bytes());
        }

        static Attribute of(String name, String value) {
            Proto a = new Proto();
            a.string(1, name);
            a.bytes(4, value.getBytes(StandardCharsets.UTF_8));
            a.varint(20, 3); // STRING
            return new Attribute(a.bytes());
        }

        static Attribute ints(String name, long... values) {
            Proto a = new Proto();
            a.string(1, name);
            for (long v : values) {
                a.varint(8, v);
            }
            a.varint(20, 7); // INTS
            return new Attribute(a.bytes());
        }
    }

    /** Protobuf wire format: varints (wire type 0) and length-delimited fields (wire type 2). */
    private static final class Proto {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, byte[] encoded) {
            bytes(field, encoded);
        }

        void bytes(int field, byte[] value) {
            raw(((long) field << 3) | 2);
            raw(value.length);
            out.writeBytes(value);
        }

        /** A varint: 7 bits a byte, low first; negative values take ten bytes. */
        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
