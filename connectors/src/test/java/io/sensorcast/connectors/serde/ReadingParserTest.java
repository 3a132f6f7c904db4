package io.sensorcast.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.DeadLetter;
import io.sensorcast.connectors.format.DeadLetterReason;
import io.sensorcast.connectors.format.ParsedRecord;
import io.sensorcast.connectors.format.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReadingParserTest {

    private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");
    private final ReadingParser parser =
            new ReadingParser(256, Duration.ofHours(1), 1e9, Clock.fixed(NOW, ZoneOffset.UTC));

    private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
        return new ConsumerRecord<>(
                "sensorcast.readings",
                3,
                42L,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesTooManyFeaturesAndOverlongSensorIdsNamingTheLimit() {
        ReadingParser tight =
                new ReadingParser(
                        1 << 16, 3, 8, Duration.ofHours(1), 1e9, Clock.fixed(NOW, ZoneOffset.UTC));
        ParsedRecord many =
                tight.parse(
                        record(
                                "t1",
                                "{\"sensor\":\"t1\",\"ts\":1,\"values\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4}}"));
        assertThat(many.isValid()).isFalse();
        assertThat(many.deadLetter.reason).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
        assertThat(many.deadLetter.message)
                .isEqualTo("'values' has 4 features, at most 3 (sensorcast.readings.max-features)");
        assertThat(
                        tight.parse(
                                        record(
                                                "t1",
                                                "{\"sensor\":\"t1\",\"ts\":1,\"values\":{\"a\":1,\"b\":2,\"c\":3}}"))
                                .isValid())
                .isTrue();
        ParsedRecord longId =
                tight.parse(
                        record("sensor-123", "{\"sensor\":\"sensor-123\",\"ts\":1,\"value\":1}"));
        assertThat(longId.deadLetter.reason).isEqualTo(DeadLetterReason.BAD_SENSOR_ID);
        assertThat(longId.deadLetter.message)
                .isEqualTo(
                        "'sensor' has 10 characters, at most 8"
                                + " (sensorcast.readings.max-sensor-id-length)");
    }

    @Test
    void parsesAUnivariateReadingWithAnIsoTimestamp() {
        ParsedRecord r =
                parser.parse(
                        record(
                                "m1",
                                "{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":73.9}"));
        assertThat(r.isValid()).isTrue();
        assertThat(r.reading)
                .isEqualTo(
                        SensorReading.of(
                                "m1", Instant.parse("2013-12-02T21:15:00Z").toEpochMilli(), 73.9));
    }

    @Test
    void parsesAMultivariateReadingWithEpochMillis() {
        ParsedRecord r =
                parser.parse(
                        record(
                                "t1",
                                "{\"sensor\":\"t1\",\"ts\":1386018900000,\"values\":{\"HUFL\":5.8,\"OT\":30.5}}"));
        assertThat(r.isValid()).isTrue();
        assertThat(r.reading.timestamp).isEqualTo(1386018900000L);
        assertThat(r.reading.names).containsExactly("HUFL", "OT");
        assertThat(r.reading.values).containsExactly(5.8, 30.5);
        assertThat(r.reading.value("OT")).isEqualTo(30.5);
    }

    @Test
    void acceptsOffsetsAndNumericStrings() {
        assertThat(
                        parser.parse(
                                        record(
                                                "a",
                                                "{\"sensor\":\"a\",\"ts\":\"2013-12-02T22:15:00+01:00\",\"value\":1}"))
                                .reading
                                .timestamp)
                .isEqualTo(Instant.parse("2013-12-02T21:15:00Z").toEpochMilli());
        assertThat(
                        parser.parse(record("a", "{\"sensor\":\"a\",\"ts\":\"1000\",\"value\":1}"))
                                .reading
                                .timestamp)
                .isEqualTo(1000L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "MALFORMED_JSON|m1|{\"sensor\":\"m1\",",
                "MALFORMED_JSON|m1|[1,2,3]",
                "MISSING_FIELD|m1|{\"ts\":\"2013-12-02T21:15:00Z\",\"value\":1}",
                "MISSING_FIELD|m1|{\"sensor\":\"m1\",\"value\":1}",
                "MISSING_FIELD|m1|{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\"}",
                "WRONG_TYPE|m1|{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":\"hot\"}",
                "WRONG_TYPE|m1|{\"sensor\":42,\"ts\":\"2013-12-02T21:15:00Z\",\"value\":1}",
                "WRONG_TYPE|m1|{\"sensor\":\"m1\",\"ts\":true,\"value\":1}",
                "NON_FINITE_VALUE|m1|{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":NaN}",
                "NON_FINITE_VALUE|m1|{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":\"Infinity\"}",
                "NON_FINITE_VALUE|m1|{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"values\":{\"a\":1e999}}",
                "VALUE_OUT_OF_RANGE|m1|{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":-5e9}",
                "UNPARSEABLE_TIMESTAMP|m1|{\"sensor\":\"m1\",\"ts\":\"yesterday\",\"value\":1}",
                "UNPARSEABLE_TIMESTAMP|m1|{\"sensor\":\"m1\",\"ts\":\"2013-12-02 21:15:00\",\"value\":1}",
                "TIMESTAMP_BEFORE_EPOCH|m1|{\"sensor\":\"m1\",\"ts\":\"1969-12-31T23:59:59Z\",\"value\":1}",
                "TIMESTAMP_IN_FUTURE|m1|{\"sensor\":\"m1\",\"ts\":\"2024-06-01T01:00:01Z\",\"value\":1}",
                "BAD_FEATURE_NAME|m1|{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"values\":{\"a@1d\":1}}",
                "BAD_SENSOR_ID|m1|{\"sensor\":\"  \",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":1}",
                "BAD_SENSOR_ID||{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":1}",
                "BAD_SENSOR_ID|m2|{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":1}",
            })
    void deadLettersEveryKindOfBadRecordWithItsReason(
            DeadLetterReason reason, String key, String value) {
        ConsumerRecord<byte[], byte[]> record = record(key, value);
        ParsedRecord r = parser.parse(record);
        assertThat(r.isValid()).isFalse();
        DeadLetter d = r.deadLetter;
        assertThat(d.reason).as(d.message).isEqualTo(reason);
        assertThat(d.message).isNotBlank();
        assertThat(d.value).isEqualTo(record.value());
        assertThat(d.topic).isEqualTo("sensorcast.readings");
        assertThat(d.partition).isEqualTo(3);
        assertThat(d.offset).isEqualTo(42L);
    }

    @Test
    void deadLettersAnEmptyPayload() {
        assertThat(parser.parse(record("m1", null)).deadLetter.reason)
                .isEqualTo(DeadLetterReason.EMPTY_PAYLOAD);
        assertThat(parser.parse(record("m1", "")).deadLetter.reason)
                .isEqualTo(DeadLetterReason.EMPTY_PAYLOAD);
    }

    @Test
    void deadLettersAnOversizedPayloadWithoutParsingIt() {
        String big = "{\"sensor\":\"m1\",\"ts\":1,\"value\":1,\"pad\":\"" + "x".repeat(300) + "\"}";
        DeadLetter d = parser.parse(record("m1", big)).deadLetter;
        assertThat(d.reason).isEqualTo(DeadLetterReason.PAYLOAD_TOO_LARGE);
        assertThat(d.message).contains("maximum is 256");
    }

    @Test
    void deadLettersInvalidUtf8() {
        ConsumerRecord<byte[], byte[]> r =
                new ConsumerRecord<>(
                        "t",
                        0,
                        0L,
                        "m1".getBytes(StandardCharsets.UTF_8),
                        new byte[] {'{', (byte) 0xC3, '}'});
        assertThat(parser.parse(r).deadLetter.reason).isEqualTo(DeadLetterReason.MALFORMED_JSON);
    }

    @Test
    void writesDeadLettersWithRawBytesAndSource() throws Exception {
        DeadLetter d = parser.parse(record("m1", "{oops")).deadLetter;
        var node = JsonFormats.mapper().readTree(JsonFormats.deadLetter(d));
        assertThat(node.get("reason").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(node.get("offset").asLong()).isEqualTo(42L);
        assertThat(
                        new String(
                                java.util.Base64.getDecoder()
                                        .decode(node.get("value_base64").asText()),
                                StandardCharsets.UTF_8))
                .isEqualTo("{oops");
    }

    @Test
    void roundTripsReadingsThroughTheWriter() {
        SensorReading multi =
                new SensorReading(
                        "t1",
                        1386018900000L,
                        new String[] {"HUFL", "OT"},
                        new double[] {5.8, 30.5});
        SensorReading single = SensorReading.of("m1", 1386018900000L, 73.9);
        for (SensorReading r : new SensorReading[] {multi, single}) {
            String json = new String(JsonFormats.reading(r), StandardCharsets.UTF_8);
            assertThat(parser.parse(record(r.sensor, json)).reading).isEqualTo(r);
        }
    }
}
