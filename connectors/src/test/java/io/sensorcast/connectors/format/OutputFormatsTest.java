package io.sensorcast.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorcast.connectors.serde.JsonFormats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputFormatsTest {

    @Test
    void forecastsUseTheDocumentedFieldNamesAndRoundTrip() throws Exception {
        ForecastRecord f =
                new ForecastRecord(
                        "m1",
                        "2013-12-02T21:15:00Z",
                        List.of(
                                new ForecastRecord.Step(
                                        "2013-12-02T21:20:00Z",
                                        Map.of("value", 74.1),
                                        List.of(
                                                new ForecastRecord.Interval(
                                                        0.8,
                                                        Map.of("value", 72.0),
                                                        Map.of("value", 76.5)),
                                                new ForecastRecord.Interval(
                                                        0.95,
                                                        Map.of("value", 70.25),
                                                        Map.of("value", 78.0))))),
                        "m1",
                        3,
                        12.5);
        byte[] json = JsonFormats.json(f);
        JsonNode node = JsonFormats.mapper().readTree(json);
        assertThat(node.fieldNames())
                .toIterable()
                .containsExactly(
                        "sensor",
                        "origin_ts",
                        "steps",
                        "model_group",
                        "model_version",
                        "latency_ms");
        assertThat(node.at("/steps/0/target_ts").asText()).isEqualTo("2013-12-02T21:20:00Z");
        assertThat(node.at("/steps/0/predicted/value").asDouble()).isEqualTo(74.1);
        assertThat(node.at("/steps/0/intervals/1/level").asDouble()).isEqualTo(0.95);
        assertThat(node.at("/steps/0/intervals/1/lower/value").asDouble()).isEqualTo(70.25);
        assertThat(node.at("/steps/0/intervals/0/upper/value").asDouble()).isEqualTo(76.5);
        assertThat(JsonFormats.mapper().readValue(json, ForecastRecord.class)).isEqualTo(f);
        // the job's own writer writes the same bytes
        assertThat(new String(JsonFormats.forecast(f), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void scoresUseTheDocumentedFieldNamesAndRoundTrip() throws Exception {
        ScoreRecord s =
                new ScoreRecord(
                        "m1",
                        "2013-12-02T21:15:00Z",
                        "2013-12-02T21:20:00Z",
                        "value",
                        74.1,
                        80.0,
                        5.9,
                        0.997,
                        0.997,
                        0.99,
                        true,
                        "fleet",
                        2,
                        4.0,
                        List.of(
                                new ScoreRecord.Band(0.8, 70.0, 78.0),
                                new ScoreRecord.Band(0.95, 66.5, 81.0)));
        byte[] json = JsonFormats.json(s);
        JsonNode node = JsonFormats.mapper().readTree(json);
        assertThat(node.fieldNames())
                .toIterable()
                .containsExactly(
                        "sensor",
                        "origin_ts",
                        "target_ts",
                        "target",
                        "predicted",
                        "actual",
                        "residual",
                        "score",
                        "alert_score",
                        "threshold",
                        "is_anomaly",
                        "model_group",
                        "model_version",
                        "latency_ms",
                        "intervals");
        assertThat(node.get("is_anomaly").asBoolean()).isTrue();
        assertThat(node.at("/intervals/1/upper").asDouble()).isEqualTo(81.0);
        assertThat(JsonFormats.mapper().readValue(json, ScoreRecord.class)).isEqualTo(s);
        assertThat(new String(JsonFormats.score(s), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }
}
