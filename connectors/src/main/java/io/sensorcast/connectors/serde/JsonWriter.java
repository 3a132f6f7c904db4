package io.sensorcast.connectors.serde;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small JSON writer for the job's hot outputs (forecasts and scores, one per reading): fields in
 * the order written, strings escaped and numbers printed exactly as Jackson's default {@code
 * ObjectMapper} does (so the bytes on the topics are the same), without its reflection and per-call
 * set-up, which the profile of {@code sensorcast bench} showed as a third of the forecasting
 * thread. Not thread-safe; {@link #toBytes} and {@link #reset} to reuse.
 *
 * <p>It stays because it is faster than Jackson's own streaming {@code JsonGenerator} writing the
 * same bytes: {@code sensorcast bench-json --seconds 6} (which first checks that both, and the
 * record mapping, write identical bytes) measured 1.72x to 1.89x the generator's rate for forecasts
 * and 1.33x to 1.43x for scores over two runs (at best 2.38 M and 1.25 M records/s against 1.26 M
 * and 0.87 M, one thread, AMD EPYC, JDK 17).
 */
final class JsonWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[256];
    private int len;
    private boolean first = true;

    JsonWriter reset() {
        len = 0;
        first = true;
        return this;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    JsonWriter beginObject() {
        comma();
        put((byte) '{');
        first = true;
        return this;
    }

    JsonWriter endObject() {
        put((byte) '}');
        first = false;
        return this;
    }

    JsonWriter beginArray() {
        comma();
        put((byte) '[');
        first = true;
        return this;
    }

    JsonWriter endArray() {
        put((byte) ']');
        first = false;
        return this;
    }

    /** A field name written once, its bytes reused for every record ({@link #name(Field)}). */
    static final class Field {
        private final byte[] bytes;

        Field(String name) {
            JsonWriter w = new JsonWriter();
            w.string(name);
            w.put((byte) ':');
            this.bytes = w.toBytes();
        }
    }

    /** A field name; its value follows. */
    JsonWriter name(Field field) {
        comma();
        ensure(field.bytes.length);
        System.arraycopy(field.bytes, 0, buf, len, field.bytes.length);
        len += field.bytes.length;
        first = true; // the value needs no comma
        return this;
    }

    /** A field name; its value follows. */
    JsonWriter name(String name) {
        comma();
        string(name);
        put((byte) ':');
        first = true; // the value needs no comma
        return this;
    }

    JsonWriter value(String s) {
        comma();
        if (s == null) {
            ascii("null");
        } else {
            string(s);
        }
        first = false;
        return this;
    }

    JsonWriter value(long v) {
        comma();
        ascii(Long.toString(v));
        first = false;
        return this;
    }

    JsonWriter value(boolean v) {
        comma();
        ascii(v ? "true" : "false");
        first = false;
        return this;
    }

    /**
     * As Jackson writes a double with its fast writer ({@code USE_FAST_DOUBLE_WRITER}: the shortest
     * decimal that reads back as the same double, Raffaello Giulietti's Schubfach, several times
     * faster than Java 17's {@link Double#toString}), NaN and infinities quoted.
     */
    JsonWriter value(double v) {
        comma();
        if (Double.isFinite(v)) {
            ascii(NumberOutput.toString(v, true));
        } else {
            string(Double.toString(v));
        }
        first = false;
        return this;
    }

    JsonWriter value(Double v) {
        if (v == null) {
            comma();
            ascii("null");
            first = false;
            return this;
        }
        return value(v.doubleValue());
    }

    private void comma() {
        if (!first) {
            put((byte) ',');
        }
    }

    /**
     * A quoted string as Jackson escapes it: {@code "} and {@code \}, the control characters (the
     * short forms {@code \b \t \n \f \r}, else {@code \}{@code u00XX}) and surrogates (as {@code
     * \}{@code uXXXX} each), everything else as UTF-8.
     */
    private void string(String s) {
        put((byte) '"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                unicodeEscape(c); // Jackson writes supplementary characters as escaped pairs
            } else if (c >= 0x80) {
                int end = i + 1;
                while (end < n && s.charAt(end) >= 0x80 && !Character.isSurrogate(s.charAt(end))) {
                    end++;
                }
                byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, buf, len, utf8.length);
                len += utf8.length;
                i = end - 1;
            } else if (c == '"' || c == '\\') {
                put((byte) '\\');
                put((byte) c);
            } else if (c < 0x20) {
                escapeControl(c);
            } else {
                put((byte) c);
            }
        }
        put((byte) '"');
    }

    private void escapeControl(char c) {
        char shortForm =
                switch (c) {
                    case '\b' -> 'b';
                    case '\t' -> 't';
                    case '\n' -> 'n';
                    case '\f' -> 'f';
                    case '\r' -> 'r';
                    default -> 0;
                };
        if (shortForm == 0) {
            unicodeEscape(c);
        } else {
            put((byte) '\\');
            put((byte) shortForm);
        }
    }

    private void unicodeEscape(char c) {
        put((byte) '\\');
        put((byte) 'u');
        put(HEX[(c >> 12) & 0xF]);
        put(HEX[(c >> 8) & 0xF]);
        put(HEX[(c >> 4) & 0xF]);
        put(HEX[c & 0xF]);
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
