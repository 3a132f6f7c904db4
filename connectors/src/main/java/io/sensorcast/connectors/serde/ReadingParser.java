package io.sensorcast.connectors.serde;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sensorcast.connectors.format.DeadLetter;
import io.sensorcast.connectors.format.DeadLetterReason;
import io.sensorcast.connectors.format.IsoInstants;
import io.sensorcast.connectors.format.ParsedRecord;
import io.sensorcast.connectors.format.SensorReading;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one Kafka record into a {@link SensorReading} or a {@link DeadLetter} with a reason; never
 * throws.
 *
 * <p>Accepted values: {@code {"sensor":"m1","ts":"2013-12-02T21:15:00Z","value":73.9}} or {@code
 * {"sensor":"t1","ts":1386018900000,"values":{"HUFL":5.8,"OT":30.5}}}; {@code ts} is ISO-8601 with
 * a zone or offset, or epoch milliseconds. The record key must be the sensor id.
 */
public final class ReadingParser implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final java.util.regex.Pattern EPOCH_MILLIS =
            java.util.regex.Pattern.compile("-?\\d{1,19}");

    private final int maxPayloadBytes;
    private final int maxFeatures;
    private final int maxSensorIdLength;
    private final long maxFutureMillis;
    private final double maxAbsValue;
    private final Clock clock;
    private transient ObjectMapper json;

    /**
     * @param maxPayloadBytes larger values are refused unparsed
     * @param maxFuture how far past the wall clock an event time may lie
     * @param maxAbsValue the largest magnitude a value may have
     */
    public ReadingParser(int maxPayloadBytes, Duration maxFuture, double maxAbsValue, Clock clock) {
        this(
                maxPayloadBytes,
                DEFAULT_MAX_FEATURES,
                DEFAULT_MAX_SENSOR_ID_LENGTH,
                maxFuture,
                maxAbsValue,
                clock);
    }

    /** Features a reading may carry by default: each costs {@code window} doubles of state. */
    public static final int DEFAULT_MAX_FEATURES = 64;

    /** Characters a sensor id may have by default: it is a key of every keyed state. */
    public static final int DEFAULT_MAX_SENSOR_ID_LENGTH = 256;

    /**
     * @param maxPayloadBytes larger values are refused unparsed
     * @param maxFeatures readings with more named values are refused (each costs a window of state)
     * @param maxSensorIdLength longer sensor ids are refused
     * @param maxFuture how far past the wall clock an event time may lie
     * @param maxAbsValue the largest magnitude a value may have
     */
    public ReadingParser(
            int maxPayloadBytes,
            int maxFeatures,
            int maxSensorIdLength,
            Duration maxFuture,
            double maxAbsValue,
            Clock clock) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxFeatures = maxFeatures;
        this.maxSensorIdLength = maxSensorIdLength;
        this.maxFutureMillis = maxFuture.toMillis();
        this.maxAbsValue = maxAbsValue;
        this.clock = clock;
    }

    /** Parses {@code record}; any failure becomes a dead letter. */
    public ParsedRecord parse(ConsumerRecord<byte[], byte[]> record) {
        try {
            return ParsedRecord.of(read(record));
        } catch (BadRecord e) {
            return ParsedRecord.of(deadLetter(record, e.reason, e.getMessage()));
        } catch (RuntimeException e) {
            return ParsedRecord.of(
                    deadLetter(record, DeadLetterReason.UNEXPECTED, String.valueOf(e)));
        }
    }

    private SensorReading read(ConsumerRecord<byte[], byte[]> record) throws BadRecord {
        JsonNode root = object(record.value());
        String sensor = sensor(root, record.key());
        long timestamp = timestamp(root);
        JsonNode single = root.get("value");
        JsonNode many = root.get("values");
        if (single != null && many != null) {
            throw new BadRecord(
                    DeadLetterReason.WRONG_TYPE, "has both 'value' and 'values'; send one");
        }
        if (single != null) {
            return SensorReading.of(sensor, timestamp, number("value", single));
        }
        if (many == null) {
            throw new BadRecord(
                    DeadLetterReason.MISSING_FIELD, "missing field 'value' (or 'values')");
        }
        if (!many.isObject()) {
            throw new BadRecord(
                    DeadLetterReason.WRONG_TYPE,
                    "'values' must be an object of name to number, got " + many.getNodeType());
        }
        if (many.isEmpty()) {
            throw new BadRecord(DeadLetterReason.MISSING_FIELD, "'values' is empty");
        }
        return multivariate(sensor, timestamp, many);
    }

    /** The payload as a JSON object, within the size limit. */
    private JsonNode object(byte[] value) throws BadRecord {
        if (value == null || value.length == 0) {
            throw new BadRecord(DeadLetterReason.EMPTY_PAYLOAD, "record has no value");
        }
        if (value.length > maxPayloadBytes) {
            throw new BadRecord(
                    DeadLetterReason.PAYLOAD_TOO_LARGE,
                    "value is " + value.length + " bytes, the maximum is " + maxPayloadBytes);
        }
        JsonNode root;
        try {
            root = mapper().readTree(strictUtf8(value));
        } catch (IOException e) {
            throw new BadRecord(DeadLetterReason.MALFORMED_JSON, firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new BadRecord(
                    DeadLetterReason.MALFORMED_JSON,
                    "expected a JSON object, got "
                            + (root == null ? "nothing" : root.getNodeType()));
        }
        return root;
    }

    /** A reading of several named features, {@code many} a non-empty object. */
    private SensorReading multivariate(String sensor, long timestamp, JsonNode many)
            throws BadRecord {
        List<String> names = new ArrayList<>(many.size());
        if (many.size() > maxFeatures) {
            throw new BadRecord(
                    DeadLetterReason.PAYLOAD_TOO_LARGE,
                    "'values' has "
                            + many.size()
                            + " features, at most "
                            + maxFeatures
                            + " (sensorcast.readings.max-features)");
        }
        double[] values = new double[many.size()];
        Iterator<Map.Entry<String, JsonNode>> fields = many.fields();
        int i = 0;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().indexOf('@') >= 0) {
                throw new BadRecord(
                        DeadLetterReason.BAD_FEATURE_NAME,
                        "feature name '"
                                + f.getKey()
                                + "' contains '@', which names seasonal channels (value@1d)");
            }
            names.add(f.getKey());
            values[i++] = number("values." + f.getKey(), f.getValue());
        }
        return new SensorReading(sensor, timestamp, names.toArray(new String[0]), values);
    }

    private String sensor(JsonNode root, byte[] key) throws BadRecord {
        JsonNode node = root.get("sensor");
        if (node == null || node.isNull()) {
            throw new BadRecord(DeadLetterReason.MISSING_FIELD, "missing field 'sensor'");
        }
        if (!node.isTextual()) {
            throw new BadRecord(
                    DeadLetterReason.WRONG_TYPE,
                    "'sensor' must be a string, got " + node.getNodeType());
        }
        String sensor = node.asText();
        if (sensor.isBlank()) {
            throw new BadRecord(DeadLetterReason.BAD_SENSOR_ID, "'sensor' is empty");
        }
        if (sensor.length() > maxSensorIdLength) {
            throw new BadRecord(
                    DeadLetterReason.BAD_SENSOR_ID,
                    "'sensor' has "
                            + sensor.length()
                            + " characters, at most "
                            + maxSensorIdLength
                            + " (sensorcast.readings.max-sensor-id-length)");
        }
        if (key == null || key.length == 0) {
            throw new BadRecord(
                    DeadLetterReason.BAD_SENSOR_ID,
                    "record key is empty; it must be the sensor id '" + sensor + "'");
        }
        String k = new String(key, StandardCharsets.UTF_8);
        if (!k.equals(sensor)) {
            throw new BadRecord(
                    DeadLetterReason.BAD_SENSOR_ID,
                    "record key '" + k + "' is not the sensor id '" + sensor + "'");
        }
        return sensor;
    }

    private long timestamp(JsonNode root) throws BadRecord {
        JsonNode node = root.get("ts");
        if (node == null || node.isNull()) {
            throw new BadRecord(DeadLetterReason.MISSING_FIELD, "missing field 'ts'");
        }
        long millis;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            millis = node.asLong();
        } else if (node.isTextual()) {
            String text = node.asText().trim();
            if (EPOCH_MILLIS.matcher(text).matches()) {
                try {
                    millis = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new BadRecord(
                            DeadLetterReason.UNPARSEABLE_TIMESTAMP, "'ts' overflows: " + text);
                }
            } else {
                try {
                    millis = IsoInstants.parse(text);
                } catch (DateTimeParseException | ArithmeticException e) {
                    throw new BadRecord(
                            DeadLetterReason.UNPARSEABLE_TIMESTAMP,
                            "'ts' is not ISO-8601 with a zone (e.g. 2013-12-02T21:15:00Z) nor"
                                    + " epoch milliseconds: '"
                                    + text
                                    + "'");
                }
            }
        } else {
            throw new BadRecord(
                    DeadLetterReason.WRONG_TYPE,
                    "'ts' must be an ISO-8601 string or epoch milliseconds, got "
                            + node.getNodeType());
        }
        if (millis < 0) {
            throw new BadRecord(
                    DeadLetterReason.TIMESTAMP_BEFORE_EPOCH,
                    "'ts' " + millis + " is before 1970-01-01T00:00:00Z");
        }
        long latest = clock.millis() + maxFutureMillis;
        if (millis > latest) {
            throw new BadRecord(
                    DeadLetterReason.TIMESTAMP_IN_FUTURE,
                    "'ts' "
                            + java.time.Instant.ofEpochMilli(millis)
                            + " is more than "
                            + Duration.ofMillis(maxFutureMillis)
                            + " ahead of the clock");
        }
        return millis;
    }

    private double number(String field, JsonNode node) throws BadRecord {
        double v;
        if (node.isNumber()) {
            v = node.asDouble();
        } else if (node.isTextual() && node.asText().matches("(?i)[+-]?(nan|inf|infinity)")) {
            v = Double.NaN;
        } else {
            throw new BadRecord(
                    DeadLetterReason.WRONG_TYPE,
                    "'" + field + "' must be a number, got " + node.getNodeType());
        }
        if (!Double.isFinite(v)) {
            throw new BadRecord(
                    DeadLetterReason.NON_FINITE_VALUE, "'" + field + "' is " + node.asText());
        }
        if (Math.abs(v) > maxAbsValue) {
            throw new BadRecord(
                    DeadLetterReason.VALUE_OUT_OF_RANGE,
                    "'"
                            + field
                            + "' is "
                            + v
                            + ", outside [-"
                            + maxAbsValue
                            + ", "
                            + maxAbsValue
                            + "]");
        }
        return v;
    }

    private static String strictUtf8(byte[] bytes) throws BadRecord {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadRecord(DeadLetterReason.MALFORMED_JSON, "value is not valid UTF-8");
        }
    }

    private ObjectMapper mapper() {
        if (json == null) {
            json =
                    JsonMapper.builder()
                            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                            .build();
        }
        return json;
    }

    private static DeadLetter deadLetter(
            ConsumerRecord<byte[], byte[]> record, DeadLetterReason reason, String message) {
        return new DeadLetter(
                record.key(),
                record.value(),
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                reason,
                message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unparseable JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** A refusal with its reason; never leaves this class. */
    private static final class BadRecord extends Exception {
        private static final long serialVersionUID = 1L;
        final DeadLetterReason reason;

        BadRecord(DeadLetterReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
