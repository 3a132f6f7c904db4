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

    /**
     * A forecast as JSON: the same bytes as {@link #json} (Jackson's record mapping), written
     * directly; one per reading, so the forecasting thread's cost matters.
     */
    public static byte[] forecast(ForecastRecord f) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("sensor").value(f.sensor());
        w.name("origin_ts").value(f.originTs());
        w.name("steps");
        if (f.steps() == null) {
            w.value((String) null);
        } else {
            w.beginArray();
            for (ForecastRecord.Step step : f.steps()) {
                w.beginObject().name("target_ts").value(step.targetTs()).name("predicted");
                if (step.predicted() == null) {
                    w.value((String) null);
                } else {
                    w.beginObject();
                    for (Map.Entry<String, Double> e : step.predicted().entrySet()) {
                        w.name(e.getKey()).value(e.getValue());
                    }
                    w.endObject();
                }
                w.endObject();
            }
            w.endArray();
        }
        w.name("model_group").value(f.modelGroup());
        w.name("model_version").value(f.modelVersion());
        w.name("latency_ms").value(f.latencyMs());
        return w.endObject().toBytes();
    }

    /** A score as JSON: the same bytes as {@link #json}, written directly (one per reading). */
    public static byte[] score(ScoreRecord r) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("sensor").value(r.sensor());
        w.name("origin_ts").value(r.originTs());
        w.name("target_ts").value(r.targetTs());
        w.name("target").value(r.target());
        w.name("predicted").value(r.predicted());
        w.name("actual").value(r.actual());
        w.name("residual").value(r.residual());
        w.name("score").value(r.score());
        w.name("alert_score").value(r.alertScore());
        w.name("threshold").value(r.threshold());
        w.name("is_anomaly").value(r.isAnomaly());
        w.name("model_group").value(r.modelGroup());
        w.name("model_version").value(r.modelVersion());
        w.name("latency_ms").value(r.latencyMs());
        return w.endObject().toBytes();
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
