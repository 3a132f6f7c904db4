package io.sensorcast.connectors.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sensorcast.connectors.format.DeadLetter;
import io.sensorcast.connectors.format.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

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
        node.put("ts", Instant.ofEpochMilli(r.timestamp).toString());
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
        node.put("message", d.message);
        node.put("topic", d.topic);
        node.put("partition", d.partition);
        node.put("offset", d.offset);
        node.put("record_timestamp", d.recordTimestamp);
        node.put("key_base64", d.key == null ? null : Base64.getEncoder().encodeToString(d.key));
        node.put(
                "value_base64",
                d.value == null ? null : Base64.getEncoder().encodeToString(d.value));
        return bytes(node);
    }

    /** Any output record ({@code ForecastRecord}, {@code ScoreRecord}) as JSON. */
    public static byte[] json(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + record + ": " + e, e);
        }
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
