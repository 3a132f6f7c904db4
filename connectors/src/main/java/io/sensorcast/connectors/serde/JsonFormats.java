package io.sensorcast.connectors.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sensorcast.connectors.format.DeadLetter;
import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.IsoInstants;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/** The JSON written to Kafka for readings and dead letters. */
public final class JsonFormats {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFormats() {}

    /** The shared mapper (thread-safe once configured). */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /**
     * A reading in the input format: {@code value} for univariate readings, {@code values}
     * otherwise; {@code ts} as an ISO-8601 instant.
     */
    public static byte[] reading(SensorReading r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("sensor", r.sensor);
        node.put("ts", IsoInstants.format(r.timestamp));
        if (r.isUnivariate()) {
            node.put("value", r.values[0]);
        } else {
            ObjectNode values = node.putObject("values");
            for (int i = 0; i < r.names.length; i++) {
                values.put(r.names[i], r.values[i]);
            }
        }
        return bytes(node);
    }

    /**
     * A dead letter: {@code reason}, {@code message}, the source {@code topic}, {@code partition},
     * {@code offset} and {@code record_timestamp}, and the raw {@code key_base64} and {@code
     * value_base64} (null when absent), so that nothing of the original record is lost.
     */
    public static byte[] deadLetter(DeadLetter d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("reason", d.reason.name());
        node.put(
                "message",
                d.message != null && d.message.length() > MAX_MESSAGE_CHARS
                        ? d.message.substring(0, MAX_MESSAGE_CHARS) + "..."
                        : d.message);
        node.put("topic", d.topic);
        node.put("partition", d.partition);
        node.put("offset", d.offset);
        node.put("record_timestamp", d.recordTimestamp);
        boolean truncated = raw(node, "key", d.key);
        truncated |= raw(node, "value", d.value);
        if (truncated) {
            node.put("truncated", true);
        }
        return bytes(node);
    }

    /**
     * Raw bytes a dead letter carries whole, per field: with base64's 4/3 and the key also as the
     * record key, a dead letter stays well under the producer's and broker's 1 MiB default limit
     * whatever the refused record's size — a dead letter that cannot be written would fail the
     * sink, and the job would restore and fail again for ever.
     */
    public static final int MAX_DEAD_LETTER_BYTES = 192 * 1024;

    private static final int MAX_MESSAGE_CHARS = 4096;

    /**
     * Writes {@code <field>_base64}: the bytes, or their first {@link #MAX_DEAD_LETTER_BYTES} with
     * {@code <field>_size} and {@code <field>_sha256} of the whole when longer. True if cut.
     */
    private static boolean raw(ObjectNode node, String field, byte[] bytes) {
        if (bytes == null) {
            node.putNull(field + "_base64");
            return false;
        }
        if (bytes.length <= MAX_DEAD_LETTER_BYTES) {
            node.put(field + "_base64", Base64.getEncoder().encodeToString(bytes));
            return false;
        }
        node.put(
                field + "_base64",
                Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, MAX_DEAD_LETTER_BYTES)));
        node.put(field + "_size", bytes.length);
        try {
            node.put(
                    field + "_sha256",
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        return true;
    }

    /** The record key of a dead letter: the original key, its first 1 KiB when longer. */
    public static String deadLetterKey(DeadLetter d) {
        if (d.key == null) {
            return null;
        }
        byte[] k = d.key.length > 1024 ? Arrays.copyOf(d.key, 1024) : d.key;
        return new String(k, StandardCharsets.UTF_8);
    }

    /** Any output record ({@code ForecastRecord}, {@code ScoreRecord}) as JSON. */
    public static byte[] json(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + record + ": " + e, e);
        }
    }

    private static final JsonWriter.Field SENSOR = new JsonWriter.Field("sensor");
    private static final JsonWriter.Field ORIGIN_TS = new JsonWriter.Field("origin_ts");
    private static final JsonWriter.Field STEPS = new JsonWriter.Field("steps");
    private static final JsonWriter.Field TARGET_TS = new JsonWriter.Field("target_ts");
    private static final JsonWriter.Field PREDICTED = new JsonWriter.Field("predicted");
    private static final JsonWriter.Field MODEL_GROUP = new JsonWriter.Field("model_group");
    private static final JsonWriter.Field MODEL_VERSION = new JsonWriter.Field("model_version");
    private static final JsonWriter.Field LATENCY_MS = new JsonWriter.Field("latency_ms");
    private static final JsonWriter.Field TARGET = new JsonWriter.Field("target");
    private static final JsonWriter.Field ACTUAL = new JsonWriter.Field("actual");
    private static final JsonWriter.Field RESIDUAL = new JsonWriter.Field("residual");
    private static final JsonWriter.Field SCORE = new JsonWriter.Field("score");
    private static final JsonWriter.Field ALERT_SCORE = new JsonWriter.Field("alert_score");
    private static final JsonWriter.Field THRESHOLD = new JsonWriter.Field("threshold");
    private static final JsonWriter.Field IS_ANOMALY = new JsonWriter.Field("is_anomaly");
    private static final JsonWriter.Field INTERVALS = new JsonWriter.Field("intervals");
    private static final JsonWriter.Field LEVEL = new JsonWriter.Field("level");
    private static final JsonWriter.Field LOWER = new JsonWriter.Field("lower");
    private static final JsonWriter.Field UPPER = new JsonWriter.Field("upper");

    /**
     * A forecast as JSON: the bytes Jackson's record mapping writes (with its fast double writer),
     * written directly; one per reading, so the forecasting thread's cost matters.
     */
    public static byte[] forecast(ForecastRecord f) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name(SENSOR).value(f.sensor());
        w.name(ORIGIN_TS).value(f.originTs());
        w.name(STEPS);
        if (f.steps() == null) {
            w.value((String) null);
        } else {
            w.beginArray();
            for (ForecastRecord.Step step : f.steps()) {
                w.beginObject().name(TARGET_TS).value(step.targetTs()).name(PREDICTED);
                values(w, step.predicted());
                w.name(INTERVALS).beginArray();
                for (ForecastRecord.Interval i : step.intervals()) {
                    w.beginObject().name(LEVEL).value(i.level()).name(LOWER);
                    values(w, i.lower());
                    w.name(UPPER);
                    values(w, i.upper());
                    w.endObject();
                }
                w.endArray();
                w.endObject();
            }
            w.endArray();
        }
        w.name(MODEL_GROUP).value(f.modelGroup());
        w.name(MODEL_VERSION).value(f.modelVersion());
        w.name(LATENCY_MS).value(f.latencyMs());
        return w.endObject().toBytes();
    }

    private static void values(JsonWriter w, Map<String, Double> byName) {
        if (byName == null) {
            w.value((String) null);
            return;
        }
        w.beginObject();
        for (Map.Entry<String, Double> e : byName.entrySet()) {
            w.name(e.getKey()).value(e.getValue());
        }
        w.endObject();
    }

    /**
     * A score as JSON: the bytes Jackson writes (fast double writer), directly (one per reading).
     */
    public static byte[] score(ScoreRecord r) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name(SENSOR).value(r.sensor());
        w.name(ORIGIN_TS).value(r.originTs());
        w.name(TARGET_TS).value(r.targetTs());
        w.name(TARGET).value(r.target());
        w.name(PREDICTED).value(r.predicted());
        w.name(ACTUAL).value(r.actual());
        w.name(RESIDUAL).value(r.residual());
        w.name(SCORE).value(r.score());
        w.name(ALERT_SCORE).value(r.alertScore());
        w.name(THRESHOLD).value(r.threshold());
        w.name(IS_ANOMALY).value(r.isAnomaly());
        w.name(MODEL_GROUP).value(r.modelGroup());
        w.name(MODEL_VERSION).value(r.modelVersion());
        w.name(LATENCY_MS).value(r.latencyMs());
        w.name(INTERVALS).beginArray();
        for (ScoreRecord.Band b : r.intervals()) {
            w.beginObject().name(LEVEL).value(b.level());
            w.name(LOWER).value(b.lower()).name(UPPER).value(b.upper()).endObject();
        }
        w.endArray();
        return w.endObject().toBytes();
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
